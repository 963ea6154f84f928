package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.bus.CommitReceipt.Committed;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.support.Http;
import tributary.support.MigratedSchema;

/**
 * Issue 16 on real PostgreSQL: core's append takes ids as new and looks them up only when the
 * insert finds one stored; duplicates still come back with their first cursor, cursors stay dense,
 * and appends that race with the same ids never store one twice. E2, E4, S8: an id is unique across
 * channels although records are partitioned by channel (V20's id table): given to a second channel
 * it is answered as the first channel's record and takes no cursor there, appends racing with one
 * id in two channels store it once, and look-ups by id find the one record.
 */
class RecordStoreAppendIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("append-store");

  private static Envelope envelope(String id, String channel) {
    return new Envelope(id, "edge", channel, "json", 5, 1, "sender", null, "{}", null);
  }

  private static List<Envelope> fresh(String channel, int n) {
    List<Envelope> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(envelope(UUID.randomUUID().toString(), channel));
    }
    return out;
  }

  private static Future<RecordStore.Appended> append(List<Envelope> envelopes) {
    return append(envelopes, false);
  }

  private static Future<RecordStore.Appended> append(List<Envelope> envelopes, boolean queueForSinks) {
    return RecordStore.appendToPool(db.pool(), envelopes, Collections.nCopies(envelopes.size(), "g"), "core", 1,
        queueForSinks);
  }

  /** Core makes a statement again when another stored one of its ids while it waited on the channel's lock. */
  private static Future<RecordStore.Appended> appendAsCoreDoes(List<Envelope> batch, int retries) {
    return append(batch).recover(e -> RecordStore.raced(e) && retries > 0 ? appendAsCoreDoes(batch, retries - 1)
        : Future.failedFuture(e));
  }

  /** As core appends a group with aggregate windows: a transaction, made again when raced. */
  private static Future<RecordStore.Appended> appendInTransactionAsCoreDoes(List<Envelope> batch, int retries) {
    return db.pool().withTransaction(tx -> RecordStore.appendIn(tx, batch, Collections.nCopies(batch.size(), "g"),
            "core", 1, false))
        .recover(e -> RecordStore.raced(e) && retries > 0 ? appendInTransactionAsCoreDoes(batch, retries - 1)
            : Future.failedFuture(e));
  }

  private static List<Long> cursors(String channel) {
    return await(new RecordStore(db.pool()).readAfter(channel, 0, 10_000)).stream().map(r -> r.cursor()).toList();
  }

  private static long count(String sql, Object... args) {
    return await(db.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
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

  /**
   * The append that takes ids as new answers one row per channel and core numbers the batch
   * itself: every receipt, in a batch whose channels interleave, one of them already written,
   * with an id given twice, must name the cursor PostgreSQL stored that id at.
   */
  @Test
  void aBatchOverInterleavedChannelsIsAnsweredWithTheCursorsStored() {
    for (boolean queueForSinks : List.of(false, true)) {
      String a = "interleaved-a-" + queueForSinks;
      String b = "interleaved-b-" + queueForSinks;
      String c = "interleaved-c-" + queueForSinks;
      await(append(fresh(b, 5), queueForSinks));
      List<Envelope> batch = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        batch.add(envelope(UUID.randomUUID().toString(), List.of(a, b, c, b).get(i % 4)));
      }
      batch.add(7, batch.get(2));
      List<Committed> answered = await(append(batch, queueForSinks)).receipt().records();

      assertEquals(batch.size(), answered.size());
      assertEquals(answered.get(2), answered.get(7), "an id given twice has one place");
      for (int i = 0; i < batch.size(); i++) {
        Committed receipt = answered.get(i);
        assertEquals(batch.get(i).id(), receipt.id());
        assertFalse(receipt.duplicate());
        StoredRecord stored = await(new RecordStore(db.pool()).byId(receipt.id()));
        assertEquals(List.of(stored.channel(), stored.cursor()), List.of(receipt.channel(), receipt.cursor()),
            "record " + i + ", queueing for sinks: " + queueForSinks);
      }
      assertEquals(List.of(1L, 2L, 3L), cursors(a));
      assertEquals(LongStream.rangeClosed(1, 11).boxed().toList(), cursors(b));
      assertEquals(List.of(6L, 7L, 8L), List.of(answered.get(1).cursor(), answered.get(3).cursor(),
          answered.get(5).cursor()), "b continues after its 5 records in batch order");
    }
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

  @Test
  void anIdPostedToASecondChannelIsAnsweredAsTheFirstChannelsRecordAndTakesNoCursorThere() {
    for (boolean queueForSinks : List.of(false, true)) {
      String first = "first-" + queueForSinks;
      String second = "second-" + queueForSinks;
      List<Envelope> stored = fresh(first, 2);
      await(append(stored, queueForSinks));
      String id = stored.get(1).id();

      // Taken as new, the id fails the insert; looked up, it is the first channel's record.
      List<Envelope> again = fresh(second, 2);
      again.add(1, envelope(id, second));
      List<Committed> answered = await(append(again, queueForSinks)).receipt().records();
      assertEquals(new Committed(id, first, 2, true), answered.get(1), "queueing for sinks: " + queueForSinks);
      assertEquals(List.of(1L, 2L), List.of(answered.get(0).cursor(), answered.get(2).cursor()));
      assertEquals(List.of(1L, 2L), cursors(second), "the duplicate took no cursor");
      assertEquals(2L, await(new RecordStore(db.pool()).head(second)));

      // A transaction's statement looks the id up first and answers the same.
      Committed inTransaction = await(db.pool().withTransaction(tx -> RecordStore.appendIn(tx,
          List.of(envelope(id, "third-" + queueForSinks)), List.of("g"), "core", 2, queueForSinks)))
          .receipt().records().get(0);
      assertEquals(new Committed(id, first, 2, true), inTransaction);
      assertEquals(1, count("SELECT count(*) FROM records WHERE record_id = $1", UUID.fromString(id)));
    }
  }

  @Test
  void lookUpsByIdFindTheOneRecordThroughTheIdTable() {
    List<Envelope> stored = fresh("looked-up", 3);
    await(append(stored));
    RecordStore records = new RecordStore(db.pool());
    StoredRecord found = await(records.byId(stored.get(2).id()));
    assertEquals(List.of("looked-up", 3L), List.of(found.channel(), found.cursor()));
    RecordStore.Lineage lineage = await(records.lineage(stored.get(0).id()));
    assertEquals(List.of("looked-up", 1L, "g", "core"), List.of(lineage.record().channel(),
        lineage.record().cursor(), lineage.gateway(), lineage.coreNode()));
    assertNull(await(records.byId(UUID.randomUUID().toString())));
  }

  /**
   * One transaction holds an id stored in one channel, uncommitted, while a statement appending it
   * to another channel waits on it: once the first commits, the waiting statement fails on the id
   * table's key and, made again, answers the id as the first channel's record. Both the db.pool()'s
   * append (ids taken as new first) and a transaction's (looked up first) are made so.
   */
  @Test
  void anAppendWaitingOnTheSameIdInAnotherChannelIsAnsweredAsItsDuplicateOnceThatCommits() {
    for (boolean inTransaction : List.of(false, true)) {
      String held = "held-" + inTransaction;
      String waiting = "waiting-" + inTransaction;
      String id = UUID.randomUUID().toString();
      SqlConnection holder = await(db.pool().getConnection());
      try {
        Transaction tx = await(holder.begin());
        await(RecordStore.appendIn(holder, List.of(envelope(id, held)), List.of("g"), "core", 1, false));
        long holderPid = await(holder.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0);

        List<Envelope> batch = List.of(envelope(UUID.randomUUID().toString(), waiting), envelope(id, waiting));
        Future<RecordStore.Appended> blocked = inTransaction ? appendInTransactionAsCoreDoes(batch, 3)
            : appendAsCoreDoes(batch, 3);
        Http.awaitCondition(() -> count("SELECT count(*) FROM pg_stat_activity "
            + "WHERE $1 = ANY(pg_blocking_pids(pid))", (int) holderPid) > 0, 10_000, "the append waits on the held id");
        await(tx.commit());

        List<Committed> answered = await(blocked).receipt().records();
        assertEquals(List.of(new Committed(batch.get(0).id(), waiting, 1, false), new Committed(id, held, 1, true)),
            answered, "in a transaction: " + inTransaction);
        assertEquals(List.of(1L), cursors(waiting));
        assertEquals(1, count("SELECT count(*) FROM records WHERE record_id = $1", UUID.fromString(id)));
      } finally {
        await(holder.close());
      }
    }
  }

  @Test
  void appendsRacingWithOneIdInTwoChannelsStoreItOnceWithDenseCursors() {
    for (int round = 0; round < 5; round++) {
      List<String> ids = Stream.generate(() -> UUID.randomUUID().toString()).limit(200).toList();
      String left = "left-" + round;
      String right = "right-" + round;
      // Overlapping, and in opposite orders (each statement inserts its ids sorted, so two of them
      // wait for each other in one direction only).
      List<Envelope> leftBatch = ids.subList(0, 150).stream().map(id -> envelope(id, left)).toList();
      List<Envelope> rightBatch = new ArrayList<>(ids.subList(50, 200).stream().map(id -> envelope(id, right))
          .toList());
      Collections.reverse(rightBatch);
      Future<RecordStore.Appended> l = appendAsCoreDoes(leftBatch, 3);
      Future<RecordStore.Appended> r = appendAsCoreDoes(rightBatch, 3);
      List<Committed> answers = new ArrayList<>(await(l).receipt().records());
      answers.addAll(await(r).receipt().records());

      Map<String, Committed> storedNow = new HashMap<>();
      for (Committed c : answers) {
        if (!c.duplicate()) {
          assertNull(storedNow.put(c.id(), c), "stored once: " + c.id());
        }
      }
      assertEquals(200, storedNow.size(), "every id stored, by one of the two");
      for (Committed c : answers) {
        Committed stored = storedNow.get(c.id());
        assertEquals(List.of(stored.channel(), stored.cursor()), List.of(c.channel(), c.cursor()),
            "both answers name the one record");
      }
      long inLeft = storedNow.values().stream().filter(c -> c.channel().equals(left)).count();
      assertEquals(LongStream.rangeClosed(1, inLeft).boxed().toList(), cursors(left));
      assertEquals(LongStream.rangeClosed(1, 200 - inLeft).boxed().toList(), cursors(right));
      assertEquals(200, count("SELECT count(*) FROM records WHERE channel = ANY($1)",
          (Object) new String[] {left, right}));
      assertEquals(200, count("SELECT count(*) FROM record_ids WHERE channel = ANY($1)",
          (Object) new String[] {left, right}));
    }
  }
}
