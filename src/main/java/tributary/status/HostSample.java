package tributary.status;

import java.util.List;

/**
 * One reading of the host's counters as the OS keeps them (D8): CPU jiffies from /proc/stat,
 * memory from /proc/meminfo, network bytes from /proc/net/dev, and the data folder's disk. Rates
 * come from two readings ({@link #cpuPercentSince}, {@link #netInPerSecondSince}). Plain parsing,
 * no I/O: {@link HostSampler} reads the files.
 *
 * @param cpuTotal jiffies spent in every state since boot, -1 when unknown
 * @param cpuIdle jiffies spent idle or waiting for I/O since boot
 */
public record HostSample(long atNanos, long cpuTotal, long cpuIdle, long memTotalBytes, long memAvailableBytes,
    long netInBytes, long netOutBytes, long diskTotalBytes, long diskUsableBytes) {

  /** The "cpu" line of /proc/stat: total is user..steal (guest time is already in user), idle is idle + iowait. */
  public static long[] parseCpu(String procStat) {
    for (String line : procStat.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total, idle};
      }
    }
    throw new IllegalArgumentException("no cpu line in /proc/stat");
  }

  /** MemTotal and MemAvailable of /proc/meminfo, in bytes. */
  public static long[] parseMemory(String meminfo) {
    long total = -1;
    long available = -1;
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        total = kilobytes(line);
      } else if (line.startsWith("MemAvailable:")) {
        available = kilobytes(line);
      }
    }
    if (total <= 0 || available < 0) {
      throw new IllegalArgumentException("no MemTotal or MemAvailable in /proc/meminfo");
    }
    return new long[] {total, available};
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]) * 1024;
  }

  /**
   * Bytes received and sent over every interface of /proc/net/dev, loopback included: traffic
   * between nodes of one machine goes over it.
   */
  public static long[] parseNetwork(String netDev) {
    long in = 0;
    long out = 0;
    for (String line : List.of(netDev.split("\n"))) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 9) {
        continue;
      }
      in += Long.parseLong(f[0]);
      out += Long.parseLong(f[8]);
    }
    return new long[] {in, out};
  }

  /** Busy share of the CPU between the two readings, 0..100; null when either is unknown or no time passed. */
  public Double cpuPercentSince(HostSample before) {
    long total = cpuTotal - before.cpuTotal;
    if (cpuTotal < 0 || before.cpuTotal < 0 || total <= 0) {
      return null;
    }
    long idle = Math.max(0, cpuIdle - before.cpuIdle);
    return clampPercent(100.0 * (total - idle) / total);
  }

  public double memoryPercent() {
    return memTotalBytes <= 0 ? 0 : clampPercent(100.0 * (memTotalBytes - memAvailableBytes) / memTotalBytes);
  }

  public double diskPercent() {
    return diskTotalBytes <= 0 ? 0 : clampPercent(100.0 * (diskTotalBytes - diskUsableBytes) / diskTotalBytes);
  }

  public double netInPerSecondSince(HostSample before) {
    return perSecond(netInBytes - before.netInBytes, atNanos - before.atNanos);
  }

  public double netOutPerSecondSince(HostSample before) {
    return perSecond(netOutBytes - before.netOutBytes, atNanos - before.atNanos);
  }

  /** Bytes per second; a counter that went backwards (an interface reset) counts as no traffic. */
  static double perSecond(long bytes, long nanos) {
    return nanos <= 0 || bytes < 0 ? 0 : bytes * 1e9 / nanos;
  }

  private static double clampPercent(double p) {
    return Math.max(0, Math.min(100, p));
  }
}
