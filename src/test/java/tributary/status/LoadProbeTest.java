package tributary.status;

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
}
