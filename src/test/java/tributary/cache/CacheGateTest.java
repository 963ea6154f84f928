package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheGateTest {
  /** The stored switches, and the look-ups asked of them. */
  private final Map<String, Boolean> stored = new HashMap<>();
  private final List<String> lookedUp = new ArrayList<>();
  private final List<Promise<Boolean>> slowLookups = new ArrayList<>();
  private boolean slow;
  private final CacheGate gate = new CacheGate(channel -> {
    lookedUp.add(channel);
    if (slow) {
      Promise<Boolean> p = Promise.promise();
      slowLookups.add(p);
      return p.future();
    }
    return Future.succeededFuture(stored.getOrDefault(channel, true));
  }, 1000);
  private final List<String> writes = new ArrayList<>();
  private final List<String> drops = new ArrayList<>();

  private Future<Void> append(String channel, long now) {
    return gate.append(channel, now, () -> {
      writes.add(channel);
      return Future.succeededFuture();
    });
  }

  private Future<Void> drop(String channel) {
    drops.add(channel);
    return Future.succeededFuture();
  }

  @Test
  void aChannelIsCachedUnlessSetOffAndTheAnswerIsKeptBriefly() {
    stored.put("off", false);
    append("on", 0);
    append("off", 0);
    append("off", 500);
    assertEquals(List.of("on"), writes);
    assertEquals(List.of("on", "off"), lookedUp, "looked up once within the keep time");
    append("off", 1000);
    assertEquals(3, lookedUp.size(), "looked up again once it expired");
  }

  @Test
  void anAnnouncedSwitchAppliesAtOnce() {
    append("c", 0);
    gate.switched("c", false, 10, () -> drop("c"));
    append("c", 20);
    assertEquals(List.of("c"), writes, "no append after the switch off");
    assertEquals(List.of("c"), drops);
    gate.switched("c", true, 30, () -> drop("c"));
    append("c", 40);
    assertEquals(List.of("c", "c"), writes, "cached again after the switch on");
    assertEquals(1, lookedUp.size(), "the announcements were taken as they came");
  }

  @Test
  void aLookUpUnderWayWhenASwitchArrivesDoesNotOverrideIt() {
    slow = true;
    Future<Void> pending = append("c", 0);
    gate.switched("c", false, 5, () -> drop("c"));
    slowLookups.get(0).complete(true);
    assertTrue(pending.succeeded());
    assertTrue(writes.isEmpty(), "the stale answer 'cached' lost to the switch");
    append("c", 10);
    assertTrue(writes.isEmpty());
    assertEquals(1, lookedUp.size(), "the switch is what the node knows now");
  }

  @Test
  void theStreamIsDroppedOnlyAfterTheAppendsAlreadySent() {
    Promise<Void> inRedis = Promise.promise();
    gate.append("c", 0, () -> {
      writes.add("c");
      return inRedis.future();
    });
    Future<Void> switched = gate.switched("c", false, 5, () -> drop("c"));
    assertTrue(drops.isEmpty(), "an append still under way could recreate the key");
    assertFalse(switched.isComplete());
    inRedis.fail("redis timeout");
    assertEquals(List.of("c"), drops, "dropped once it is done, failed or not");
    assertTrue(switched.succeeded());
  }

  @Test
  void aFailedLookUpKeepsTheRecordsOutOfRedis() {
    CacheGate failing = new CacheGate(channel -> Future.failedFuture("database down"), 1000);
    Future<Void> done = failing.append("c", 0, () -> {
      writes.add("c");
      return Future.succeededFuture();
    });
    assertTrue(done.succeeded(), "readers take from PostgreSQL what Redis lacks");
    assertTrue(writes.isEmpty());
  }
}
