package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreDistinctVersion7UuidsInTimeOrder() throws InterruptedException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = Ids.newId();
      UUID uuid = UUID.fromString(id);
      assertEquals(7, uuid.version());
      assertEquals(2, uuid.variant());
      assertTrue(seen.add(id));
    }
    String earlier = Ids.newId();
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() == start) {
      Thread.onSpinWait();
    }
    assertTrue(earlier.compareTo(Ids.newId()) < 0, "a later millisecond sorts later");
    long millis = UUID.fromString(earlier).getMostSignificantBits() >>> 16;
    assertTrue(Math.abs(millis - start) <= 1, "the first 48 bits are the time");
  }

  @Test
  void derivedIdsRepeatForTheSameRequestAndDifferForAnyOtherPart() {
    String id = Ids.derived("alice", "temps", "order-17", 0);
    assertEquals(id, Ids.derived("alice", "temps", "order-17", 0));
    Set<String> others = Set.of(Ids.derived("bob", "temps", "order-17", 0), Ids.derived("alice", "temps2", "order-17", 0),
        Ids.derived("alice", "temps", "order-18", 0), Ids.derived("alice", "temps", "order-17", 1));
    assertEquals(4, others.size());
    assertTrue(!others.contains(id));
  }
}
