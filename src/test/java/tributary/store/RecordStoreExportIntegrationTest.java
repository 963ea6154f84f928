package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.Envelope;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.export.Sink;
import tributary.support.Http;
import tributary.support.TestEnv;

/** E8 on real PostgreSQL: the append statement that queues records for sinks, against sink changes. */
class RecordStoreExportIntegrationTest {
  private static final TestEnv env = new TestEnv();
  private static Vertx vertx;
  private static Pool pool;
  private static NodeConfig config;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config = env.config("export-store");
    pool = Pg.pool(vertx, config);
    await(Migrator.migrate(pool, config.pgSchema()));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    env.drop();
  }

  private static Envelope envelope(String channel) {
    return new Envelope(Ids.newId(), "edge-1", channel, "temp", 5, 0, "alice", null, "{\"t\":1}", null);
  }

  private static long outboxRows(String sinkId) {
    return await(pool.preparedQuery("SELECT count(*) FROM sink_outbox WHERE sink_id = $1").execute(Tuple.of(sinkId)))
        .iterator().next().getLong(0);
  }

  @Test
  void anAppendQueuesForTheSinksThatMatchAtItsStart() {
    SinkStore sinks = new SinkStore(pool);
    await(sinks.create(new Sink("matching", "http://127.0.0.1:9/", "wanted", null, Sink.Include.RAW, 5, 1000), 0));
    await(sinks.create(new Sink("elsewhere", "http://127.0.0.1:9/", "other", null, Sink.Include.RAW, 5, 1000), 0));
    await(RecordStore.appendIn(pool, List.of(envelope("wanted"), envelope("wanted")), 1, new RecordStore.Route("g", "c"),
        true));
    assertEquals(2, outboxRows("matching"));
    assertEquals(0, outboxRows("elsewhere"));
  }

  @Test
  void anAppendThatExpectsNoSinkFailsWholeWhenOneExists() {
    await(pool.query("DELETE FROM sinks").execute());
    RecordStore.Route route = new RecordStore.Route("g", "c");
    assertEquals(1, await(RecordStore.appendIn(pool, List.of(envelope("quiet")), 1, route, false)).newRecords().size());

    await(new SinkStore(pool).create(new Sink("sudden", "http://127.0.0.1:9/", null, null, Sink.Include.BOTH, 5, 1000),
        0));
    Envelope late = envelope("quiet");
    Throwable refused = assertThrows(CompletionException.class, () -> RecordStore.appendIn(pool, List.of(late), 2,
        route, false).toCompletionStage().toCompletableFuture().join());
    assertTrue(RecordStore.sinksAppeared(refused.getCause()), String.valueOf(refused.getCause()));
    assertEquals(1, await(new RecordStore(pool).readAfter("quiet", 0, 10)).size(), "nothing of it was stored");

    assertEquals(1, await(RecordStore.appendIn(pool, List.of(late), 3, route, true)).newRecords().size());
    assertEquals(1, outboxRows("sudden"));
  }

  @Test
  void aSinkDeletedDuringAnAppendDropsOutInsteadOfFailingIt() {
    SinkStore sinks = new SinkStore(pool);
    await(sinks.create(new Sink("doomed", "http://127.0.0.1:9/", "racing", null, Sink.Include.BOTH, 5, 1000), 0));
    SqlConnection deleter = await(pool.getConnection());
    Transaction deletion = await(deleter.begin());
    await(deleter.query("DELETE FROM sinks WHERE sink_id = 'doomed'").execute());

    Future<RecordStore.Appended> append =
        RecordStore.appendIn(pool, List.of(envelope("racing")), 1, new RecordStore.Route("g", "c"), true);
    // The append reaches the sink row the open deletion holds, and waits for it; asked on a
    // connection of its own, so the question is not queued behind the waiting append.
    Pool monitor = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)).using(vertx).build();
    Http.awaitCondition(() -> await(monitor.preparedQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE wait_event_type = 'Lock' AND application_name = $1").execute(Tuple.of("tributary-" + config.nodeId())))
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
