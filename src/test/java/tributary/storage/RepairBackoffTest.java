package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepairBackoffTest {
  @Test
  void aBlobWithoutFailuresIsRepairedAtOnce() {
    assertTrue(RepairBackoff.due(0, 0, 1_000));
  }

  @Test
  void eachFailureDoublesTheWaitUpToTheCap() {
    long last = 1_000_000;
    assertFalse(RepairBackoff.due(1, last, last + 999));
    assertTrue(RepairBackoff.due(1, last, last + 1_000));
    assertFalse(RepairBackoff.due(2, last, last + 1_999));
    assertTrue(RepairBackoff.due(2, last, last + 2_000));
    assertFalse(RepairBackoff.due(4, last, last + 7_999));
    assertTrue(RepairBackoff.due(4, last, last + 8_000));
    assertFalse(RepairBackoff.due(60, last, last + RepairBackoff.MAX_DELAY_MS - 1));
    assertTrue(RepairBackoff.due(60, last, last + RepairBackoff.MAX_DELAY_MS));
  }
}
