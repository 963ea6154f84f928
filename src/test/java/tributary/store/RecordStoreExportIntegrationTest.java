package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.bus.Envelope;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.export.Sink;
import tributary.export.SinkStore;
import tributary.support.Http;
import tributary.support.MigratedSchema;
import tributary.support.TestEnv;

/** E8 on real PostgreSQL: the append statement that queues records for sinks, against sink changes. */
class RecordStoreExportIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("export-store");
  private static NodeConfig config;

  @BeforeAll
  static void start() {
    config = db.config();
  }

  private static final RecordStore.Route ROUTE = new RecordStore.Route("g", "c");

  /** Creates a sink of {@code channel} (null = any) that nothing will ever deliver to. */
  private static void createSink(String sinkId, String channel, Sink.Include include) {
    await(new SinkStore(db.pool()).create(new Sink(sinkId, "http://127.0.0.1:9/", channel, null, include, 5, 1000), 0));
  }

  private static Future<RecordStore.Appended> append(Envelope envelope, long now, boolean queueForSinks) {
    return RecordStore.appendIn(db.pool(), List.of(envelope), now, ROUTE, queueForSinks);
  }

  private static Envelope envelope(String channel) {
    return new Envelope(Ids.newId(), "edge-1", channel, "temp", 5, 0, "alice", null, "{\"t\":1}", null);
  }

  private static long outboxRows(String sinkId) {
    return await(db.pool().preparedQuery("SELECT count(*) FROM sink_outbox WHERE sink_id = $1")
        .execute(Tuple.of(sinkId)))
        .iterator().next().getLong(0);
  }

  @Test
  void anAppendQueuesForTheSinksThatMatchAtItsStart() {
    createSink("matching", "wanted", Sink.Include.RAW);
    createSink("elsewhere", "other", Sink.Include.RAW);
    await(RecordStore.appendIn(db.pool(), List.of(envelope("wanted"), envelope("wanted")), 1, ROUTE, true));
    assertEquals(2, outboxRows("matching"));
    assertEquals(0, outboxRows("elsewhere"));
  }

  /**
   * Both statements core makes: the one that looks ids up (in a transaction) and the one that
   * takes them as new (on the db.pool(), answering a row per channel), which once left its guard
   * unevaluated because nothing read the guard's column.
   */
  @Test
  void anAppendThatExpectsNoSinkFailsWholeWhenOneExists() {
    for (boolean onPool : List.of(false, true)) {
      String channel = "quiet-" + onPool;
      java.util.function.BiFunction<Envelope, Long, Future<RecordStore.Appended>> unqueued = onPool
          ? (e, now) -> RecordStore.appendToPool(db.pool(), List.of(e), List.of("g"), "c", now, false)
          : (e, now) -> append(e, now, false);
      await(db.pool().query("DELETE FROM sinks").execute());
      assertEquals(1, await(unqueued.apply(envelope(channel), 1L)).newRecords().size());

      createSink("sudden-" + onPool, null, Sink.Include.BOTH);
      Envelope late = envelope(channel);
      Throwable refused = assertThrows(CompletionException.class,
          () -> unqueued.apply(late, 2L).toCompletionStage().toCompletableFuture().join(), "on the pool: " + onPool);
      assertTrue(RecordStore.sinksAppeared(refused.getCause()), String.valueOf(refused.getCause()));
      assertEquals(1, await(new RecordStore(db.pool()).readAfter(channel, 0, 10)).size(), "nothing of it was stored");

      assertEquals(1, await(append(late, 3, true)).newRecords().size());
      assertEquals(1, outboxRows("sudden-" + onPool));
    }
  }

  @Test
  void aSinkDeletedDuringAnAppendDropsOutInsteadOfFailingIt() {
    createSink("doomed", "racing", Sink.Include.BOTH);
    SqlConnection deleter = await(db.pool().getConnection());
    Transaction deletion = await(deleter.begin());
    await(deleter.query("DELETE FROM sinks WHERE sink_id = 'doomed'").execute());

    Future<RecordStore.Appended> append = append(envelope("racing"), 1, true);
    // The append reaches the sink row the open deletion holds, and waits for it; asked on a
    // connection of its own, so the question is not queued behind the waiting append.
    Pool monitor = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)).using(db.vertx()).build();
    Tuple ours = Tuple.of("tributary-" + config.nodeId());
    Http.awaitCondition(() -> await(monitor.preparedQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE wait_event_type = 'Lock' AND application_name = $1").execute(ours))
        .iterator().next().getLong(0) == 1, 10_000, "the append waiting on the sink's row lock");
    assertFalse(append.isComplete());
    await(monitor.close());
    await(deletion.commit());
    await(deleter.close());

    RecordStore.Appended appended = await(append);
    assertEquals(1, appended.newRecords().size(), "the record is committed");
    assertEquals(0, outboxRows("doomed"));
  }
}
