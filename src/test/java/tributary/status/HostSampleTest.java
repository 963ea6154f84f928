package tributary.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostSampleTest {
  private static final String STAT = """
      cpu  100 5 50 800 40 3 2 0 7 0
      cpu0 50 2 25 400 20 1 1 0 3 0
      intr 12345
      """;
  private static final String MEMINFO = """
      MemTotal:        8000000 kB
      MemFree:         1000000 kB
      MemAvailable:    6000000 kB
      """;
  private static final String NET_DEV = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
        eth0: 5000      20    0    0    0     0          0         0     3000      15    0    0    0     0       0          0
      """;

  private static HostSample sample(long atNanos, long cpuTotal, long cpuIdle, long netIn, long netOut) {
    return new HostSample(atNanos, cpuTotal, cpuIdle, 8_000, 6_000, netIn, netOut, 1000, 250);
  }

  @Test
  void procFilesParseIntoCountersOverEveryInterface() {
    // total = user..steal = 100+5+50+800+40+3+2+0; idle = idle + iowait; guest is already in user.
    assertArrayEquals(new long[] {1000, 840}, HostSample.parseCpu(STAT));
    assertArrayEquals(new long[] {8_000_000L * 1024, 6_000_000L * 1024}, HostSample.parseMemory(MEMINFO));
    assertArrayEquals(new long[] {6000, 4000}, HostSample.parseNetwork(NET_DEV));
    assertThrows(IllegalArgumentException.class, () -> HostSample.parseMemory("MemFree: 1 kB"));
  }

  @Test
  void cpuIsTheBusyShareBetweenTwoReadings() {
    HostSample before = sample(0, 1000, 840, 0, 0);
    assertEquals(25.0, sample(1, 1400, 1140, 0, 0).cpuPercentSince(before), 1e-9);
    assertEquals(100.0, sample(1, 1100, 840, 0, 0).cpuPercentSince(before), 1e-9);
    assertNull(sample(1, 1000, 840, 0, 0).cpuPercentSince(before), "no time passed");
    assertNull(sample(1, -1, -1, 0, 0).cpuPercentSince(before), "unknown without /proc/stat");
  }

  @Test
  void networkRatesAreBytesPerSecondAndAResetCountsAsNone() {
    HostSample before = sample(1_000_000_000L, 0, 0, 10_000, 2_000);
    HostSample after = sample(3_000_000_000L, 0, 0, 30_000, 3_000);
    assertEquals(10_000, after.netInPerSecondSince(before), 1e-9);
    assertEquals(500, after.netOutPerSecondSince(before), 1e-9);
    assertEquals(0, sample(2_000_000_000L, 0, 0, 5, 5).netInPerSecondSince(before), 1e-9);
  }

  @Test
  void memoryAndDiskAreUsedShares() {
    HostSample s = sample(0, 0, 0, 0, 0);
    assertEquals(25.0, s.memoryPercent(), 1e-9);
    assertEquals(75.0, s.diskPercent(), 1e-9);
  }
}
