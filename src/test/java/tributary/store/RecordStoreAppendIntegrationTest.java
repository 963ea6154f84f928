package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.CommitReceipt.Committed;
import tributary.bus.Envelope;
import tributary.support.TestEnv;

/**
 * Issue 16 on real PostgreSQL: core's append takes ids as new and looks them up only when the
 * insert finds one stored; duplicates still come back with their first cursor, cursors stay dense,
 * and appends that race with the same ids never store one twice.
 */
class RecordStoreAppendIntegrationTest {
  private static final TestEnv env = new TestEnv();
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = env.migratedPool(vertx, "append-store");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    env.drop();
  }

  private static Envelope envelope(String id, String channel) {
    return new Envelope(id, "edge", channel, "json", 5, 1, "sender", null, "{}", null);
  }

  private static Future<tributary.store.RecordStore.Appended> append(List<Envelope> envelopes) {
    return RecordStore.appendToPool(pool, envelopes, Collections.nCopies(envelopes.size(), "g"), "core", 1, false);
  }

  /** Core makes a statement again when another stored one of its ids while it waited on the channel's lock. */
  private static Future<RecordStore.Appended> appendAsCoreDoes(List<Envelope> batch, int retries) {
    return append(batch).recover(e -> RecordStore.raced(e) && retries > 0 ? appendAsCoreDoes(batch, retries - 1)
        : Future.failedFuture(e));
  }

  private static List<Long> cursors(String channel) {
    return await(new RecordStore(pool).readAfter(channel, 0, 10_000)).stream().map(r -> r.cursor()).toList();
  }

  @Test
  void aRetriedBatchIsAnsweredWithItsFirstCursorsAndNewRecordsContinueDensely() {
    List<Envelope> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(envelope(UUID.randomUUID().toString(), "retried"));
    }
    List<Committed> original = await(append(first)).receipt().records();
    assertEquals(List.of(1L, 2L, 3L), original.stream().map(Committed::cursor).toList());

    Envelope fresh = envelope(UUID.randomUUID().toString(), "retried");
    List<Envelope> retry = new ArrayList<>(first);
    retry.add(1, fresh);
    List<Committed> answered = await(append(retry)).receipt().records();
    assertEquals(List.of(1L, 4L, 2L, 3L), answered.stream().map(Committed::cursor).toList());
    assertEquals(List.of(true, false, true, true), answered.stream().map(Committed::duplicate).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L), cursors("retried"), "the failed first try left no gap");
  }

  @Test
  void appendsRacingWithTheSameIdsStoreEachOnceWithDenseCursors() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    List<Future<RecordStore.Appended>> racing = new ArrayList<>();
    for (int writer = 0; writer < 6; writer++) {
      List<Envelope> batch = new ArrayList<>();
      for (int i = writer * 20; i < writer * 20 + 80; i++) {
        batch.add(envelope(ids.get(i), "raced"));
      }
      racing.add(appendAsCoreDoes(batch, 5));
    }
    List<Committed> all = new ArrayList<>();
    for (Future<RecordStore.Appended> f : racing) {
      all.addAll(await(f).receipt().records());
    }
    long stored = ids.subList(0, 180).size();
    assertEquals(LongStream.rangeClosed(1, stored).boxed().toList(), cursors("raced"));
    assertTrue(all.stream().anyMatch(Committed::duplicate), "overlapping batches answered some ids as stored");
    assertFalse(all.stream().anyMatch(c -> c.cursor() > stored));
  }
}
