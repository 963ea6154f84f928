package tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeBudgetTest {
  @Test
  void aLongBatchGetsTimeByItsLength() {
    assertEquals(2000, TimeBudget.forwardTimeoutMs(2000, 0));
    assertEquals(2001, TimeBudget.forwardTimeoutMs(2000, 1));
    // The 69,000-line batch that was given up on after 11.8 s gets about 16 s per hop.
    assertEquals(2000 + 13_800, TimeBudget.forwardTimeoutMs(2000, 69_000));
    assertTrue(TimeBudget.forwardTimeoutMs(2000, 1_000) < TimeBudget.forwardTimeoutMs(2000, 2_000));
  }
}
