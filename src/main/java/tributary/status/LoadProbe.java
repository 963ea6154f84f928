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

  /** The share of the machine's physical memory in use, 0..1. */
  public static double memoryShare() {
    long total = totalMemoryBytes();
    return total <= 0 ? 0 : Math.max(0, Math.min(1, 1 - (double) freeMemoryBytes() / total));
  }

  /**
   * The seed's CPU capacity c_i: clock in GHz times logical CPUs. The clock is the fastest "cpu
   * MHz" of /proc/cpuinfo; where that is missing (another OS, some VMs) 1 GHz is assumed, so that
   * nodes still compare by their CPU count.
   */
  public static double cpuCapacity() {
    return CPU_CAPACITY;
  }

  /** The machine's CPU does not change while the process runs: read once. */
  private static final double CPU_CAPACITY = readCpuCapacity();

  private static double readCpuCapacity() {
    double ghz = 1.0;
    try {
      ghz = clockGhz(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")));
    } catch (java.io.IOException | RuntimeException e) {
      // keep the assumed clock
    }
    return ghz * Runtime.getRuntime().availableProcessors();
  }

  /** The fastest "cpu MHz" in cpuinfo lines, in GHz; 1 when none is given. */
  static double clockGhz(java.util.List<String> cpuinfo) {
    double mhz = 0;
    for (String line : cpuinfo) {
      if (line.startsWith("cpu MHz")) {
        int colon = line.indexOf(':');
        try {
          mhz = Math.max(mhz, Double.parseDouble(line.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
          // a line we cannot read counts as absent
        }
      }
    }
    return mhz > 0 ? mhz / 1000 : 1.0;
  }

  public static long totalMemoryBytes() {
    return OS.getTotalMemorySize();
  }

  public static long freeMemoryBytes() {
    return OS.getFreeMemorySize();
  }
}
