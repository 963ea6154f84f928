package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumTest {
  private final Map<String, Promise<String>> writes = new LinkedHashMap<>();

  private Future<Quorum.Reached<String, String>> quorumOf(int needed, String... nodes) {
    Map<String, Future<String>> outcomes = new LinkedHashMap<>();
    for (String n : nodes) {
      writes.put(n, Promise.promise());
      outcomes.put(n, writes.get(n).future());
    }
    return Quorum.of(outcomes, needed);
  }

  @Test
  void twoDurableOfThreeAcknowledgeAndTheThirdFollows() {
    Future<Quorum.Reached<String, String>> q = quorumOf(2, "a", "b", "c");
    writes.get("b").complete("b-path");
    assertFalse(q.isComplete(), "one durable copy is not enough");
    writes.get("c").complete("c-path");
    assertTrue(q.succeeded());
    assertEquals(Map.of("b", "b-path", "c", "c-path"), q.result().durable());
    assertEquals(java.util.Set.of("a"), q.result().following().keySet());
    assertFalse(q.result().following().get("a").isComplete(), "the third is still on its way");
  }

  @Test
  void aFailedThirdStillAcknowledgesAndIsHandedOn() {
    Future<Quorum.Reached<String, String>> q = quorumOf(2, "a", "b", "c");
    writes.get("a").fail("a died");
    writes.get("b").complete("b-path");
    assertFalse(q.isComplete());
    writes.get("c").complete("c-path");
    assertTrue(q.succeeded());
    assertTrue(q.result().following().get("a").failed());
  }

  @Test
  void twoFailuresOfThreeFailTheWriteWithTheFirstCause() {
    Future<Quorum.Reached<String, String>> q = quorumOf(2, "a", "b", "c");
    writes.get("a").complete("a-path");
    writes.get("b").fail("b refused");
    assertFalse(q.isComplete());
    writes.get("c").fail("c refused");
    assertTrue(q.failed());
    assertEquals("c refused", q.cause().getMessage());
  }

  @Test
  void fewerWritesThanNeededFailAtOnce() {
    assertTrue(quorumOf(2, "a").failed());
  }
}
