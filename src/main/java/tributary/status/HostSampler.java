package tributary.status;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a {@link HostSample}: /proc where the OS has it (Linux), else what the JVM knows (CPU and
 * memory; network unknown, counted as 0). Blocking: call it on a worker.
 */
public final class HostSampler {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path NET_DEV = Path.of("/proc/net/dev");

  private final Path dataDir;

  public HostSampler(Path dataDir) {
    this.dataDir = dataDir;
  }

  public HostSample sample() throws IOException {
    long now = System.nanoTime();
    long[] cpu = readable(STAT) ? HostSample.parseCpu(Files.readString(STAT)) : new long[] {-1, -1};
    long[] memory = readable(MEMINFO) ? HostSample.parseMemory(Files.readString(MEMINFO))
        : new long[] {LoadProbe.totalMemoryBytes(), LoadProbe.freeMemoryBytes()};
    long[] net = readable(NET_DEV) ? HostSample.parseNetwork(Files.readString(NET_DEV)) : new long[] {0, 0};
    Files.createDirectories(dataDir);
    FileStore disk = Files.getFileStore(dataDir);
    return new HostSample(now, cpu[0], cpu[1], memory[0], memory[1], net[0], net[1], disk.getTotalSpace(),
        disk.getUsableSpace());
  }

  /** The JVM's view of the machine's CPU load, 0..100, for hosts without /proc/stat. */
  public double jvmCpuPercent() {
    return LoadProbe.cpuLoad() * 100;
  }

  private static boolean readable(Path path) {
    return Files.isReadable(path);
  }
}
