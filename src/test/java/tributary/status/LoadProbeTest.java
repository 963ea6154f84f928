package tributary.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadProbeTest {
  @Test
  void readingsAreSharesAndSizesThatMakeSense() {
    double cpu = LoadProbe.cpuLoad();
    assertTrue(cpu >= 0 && cpu <= 1, "cpu " + cpu);
    double heap = LoadProbe.heapShare();
    assertTrue(heap > 0 && heap <= 1, "heap " + heap);
    assertTrue(LoadProbe.totalMemoryBytes() > 0);
    assertTrue(LoadProbe.freeMemoryBytes() >= 0 && LoadProbe.freeMemoryBytes() <= LoadProbe.totalMemoryBytes());
  }

  @Test
  void theClockIsTheFastestCpuMhzInGhzAndOneWhenNoneIsGiven() {
    assertEquals(3.4, LoadProbe.clockGhz(java.util.List.of("processor\t: 0", "cpu MHz\t\t: 2800.000",
        "processor\t: 1", "cpu MHz\t\t: 3400.000", "cpu MHz : broken")), 1e-9);
    assertEquals(1.0, LoadProbe.clockGhz(java.util.List.of("processor\t: 0", "model name\t: ARM")), 1e-9);
    assertTrue(LoadProbe.cpuCapacity() >= Runtime.getRuntime().availableProcessors() * 0.1);
    assertTrue(LoadProbe.memoryShare() >= 0 && LoadProbe.memoryShare() <= 1);
  }
}
