package tributary.status;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The one reading of what the JVM knows about its machine's load: the CPU load, the machine's
 * memory and the heap's use. The storage heartbeat, the node's registration and the host sampler
 * (where /proc is missing) all ask here.
 */
public final class LoadProbe {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private LoadProbe() {}

  /** The machine's CPU load, 0..1; 0 while the JVM does not know it yet. */
  public static double cpuLoad() {
    double load = OS.getCpuLoad();
    return load < 0 ? 0 : Math.min(1, load);
  }

  /** The share of the heap's maximum in use, 0..1. */
  public static double heapShare() {
    Runtime runtime = Runtime.getRuntime();
    return (double) (runtime.totalMemory() - runtime.freeMemory()) / runtime.maxMemory();
  }

  public static long totalMemoryBytes() {
    return OS.getTotalMemorySize();
  }

  public static long freeMemoryBytes() {
    return OS.getFreeMemorySize();
  }
}
