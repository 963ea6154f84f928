package tributary.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PriorityQueuesTest {
  @Test
  void urgentLevelsGoFirstAndEachLevelIsFifo() {
    PriorityQueues<String> q = new PriorityQueues<>(10, 10, 100);
    q.offer(5, "5a", 0);
    q.offer(0, "0a", 0);
    q.offer(5, "5b", 0);
    q.offer(0, "0b", 0);
    assertEquals("0a", q.poll(0));
    assertEquals("0b", q.poll(0));
    assertEquals("5a", q.poll(0));
    assertEquals("5b", q.poll(0));
    assertNull(q.poll(0));
  }

  @Test
  void aFullLevelRefusesWithoutAffectingOthers() {
    PriorityQueues<String> q = new PriorityQueues<>(10, 2, 100);
    assertTrue(q.offer(1, "a", 0));
    assertTrue(q.offer(1, "b", 0));
    assertFalse(q.offer(1, "c", 0));
    assertTrue(q.offer(2, "d", 0));
    assertEquals(3, q.size());
  }

  @Test
  void aFloodOfLevelZeroDoesNotStarveLevelNineBeyondTheBound() {
    long step = 100;
    PriorityQueues<String> q = new PriorityQueues<>(10, 100_000, step);
    q.offer(9, "low", 0);
    // One level-0 item arrives and one is served every millisecond: level 0's head never waits.
    long servedAt = -1;
    for (long now = 0; now < 10_000 && servedAt < 0; now++) {
      q.offer(0, "high", now);
      if ("low".equals(q.poll(now))) {
        servedAt = now;
      }
    }
    assertTrue(servedAt >= 0, "level 9 was starved");
    assertTrue(servedAt <= 9 * step + 1, "level 9 waited " + servedAt + " ms, bound is " + 9 * step);
  }

  @Test
  void requeuedItemsGoBackToTheHeadEvenWhenTheLevelIsFull() {
    PriorityQueues<String> q = new PriorityQueues<>(10, 1, 100);
    q.offer(3, "a", 0);
    q.requeue(3, "retry", 0);
    assertEquals(2, q.size(3));
    assertEquals("retry", q.poll(0));
  }
}
