package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.support.TestEnv;

/**
 * X2 on real PostgreSQL: with {@code pg-read-url}, history and catch-up pages are read on the read
 * pool and reads at the head on the primary; a read pool that lags (here: a copy of the schema
 * missing the newest records) never leaves a gap, as the primary completes its short pages.
 */
class RecordStoreReadPoolIntegrationTest {
  private static final String CHANNEL = "replicated";
  private static final int RECORDS = 10;
  private static final TestEnv env = new TestEnv();
  private static final TestEnv lagging = new TestEnv();
  private static Vertx vertx;
  private static NodeConfig config;
  private static Pool primary;
  private static Pool monitor;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Map<String, String> settings = env.settings("reads");
    settings.put("pg-read-url", TestEnv.PG_URL);
    // one connection per pool: pg_stat_activity's last statement of each is what that pool last ran
    settings.put("pg-pool-size", "1");
    config = NodeConfig.from(settings);
    primary = Pg.pool(vertx, config);
    SchemaMigrations.migrate(config);
    List<Envelope> batch = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      batch.add(new Envelope(UUID.randomUUID().toString(), "edge", CHANNEL, "json", 5, 1, "sender", null,
          "{\"n\":" + i + "}", null));
    }
    await(RecordStore.appendToPool(primary, batch, Collections.nCopies(RECORDS, "g"), "core", 1, false));
    monitor = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    env.drop();
    lagging.drop();
  }

  private static List<Long> cursors(List<StoredRecord> records) {
    return records.stream().map(StoredRecord::cursor).toList();
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  /** The statement the pool's one connection ran last, found by its application name. */
  private static String lastStatement(String applicationName) {
    return await(monitor.preparedQuery("SELECT query FROM pg_stat_activity WHERE application_name = $1")
        .execute(Tuple.of(applicationName))).iterator().next().getString(0);
  }

  /** Which of the two pools ran a statement since {@link #mark}: "primary", "read" or "both". */
  private static String servedBy(String primaryName, String readName) {
    boolean onPrimary = !lastStatement(primaryName).equals(MARK);
    boolean onRead = !lastStatement(readName).equals(MARK);
    return onPrimary && onRead ? "both" : onPrimary ? "primary" : onRead ? "read" : "neither";
  }

  private static final String MARK = "SELECT 'marked'";

  private static void mark(Pool... pools) {
    for (Pool pool : pools) {
      await(pool.query(MARK).execute());
    }
  }

  @Test
  void historyAndCatchUpPagesAreReadOnTheReadPoolAndReadsAtTheHeadOnThePrimary() {
    Pool reads = Pg.readPool(vertx, config);
    RecordStore records = new RecordStore(primary, reads);
    String primaryName = "tributary-" + config.nodeId();
    String readName = primaryName + "-read";

    mark(primary, reads);
    assertEquals(range(1, 5), cursors(await(records.readRange(CHANNEL, 0, Long.MAX_VALUE, 0, 5))));
    assertEquals("read", servedBy(primaryName, readName), "a full history page");

    mark(primary, reads);
    assertEquals(range(6, 10), cursors(await(records.readRange(CHANNEL, 0, Long.MAX_VALUE, 5, 100))));
    assertEquals("both", servedBy(primaryName, readName), "the last, short history page is completed on the primary");

    mark(primary, reads);
    assertEquals(range(3, 7), cursors(await(records.readAfter(CHANNEL, 2, 5, RECORDS))));
    assertEquals("read", servedBy(primaryName, readName), "a catch-up page known committed");

    mark(primary, reads);
    assertEquals(range(9, 10), cursors(await(records.readAfter(CHANNEL, 8, 5, RECORDS))));
    assertEquals("primary", servedBy(primaryName, readName), "a page reaching the head");

    mark(primary, reads);
    assertEquals(range(3, 7), cursors(await(records.readAfter(CHANNEL, 2, 5, 0))));
    assertEquals("primary", servedBy(primaryName, readName), "a reader that knows no committed cursor");
  }

  @Test
  void aLaggingReadPoolLeavesNoGapAsThePrimaryCompletesItsShortPages() {
    // the "replica" has replayed only the first 6 of the channel's 10 records
    await(primary.query("CREATE SCHEMA " + lagging.schema + "; CREATE TABLE " + lagging.schema + ".records AS SELECT * "
        + "FROM records WHERE cursor <= 6").execute());
    Pool behind = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)
            .setProperties(Map.of("search_path", lagging.schema, "application_name", "lagging-" + lagging.schema)))
        .using(vertx).build();
    RecordStore records = new RecordStore(primary, behind);

    assertEquals(range(1, 5), cursors(await(records.readAfter(CHANNEL, 0, 5, RECORDS))));
    assertEquals(range(6, 10), cursors(await(records.readAfter(CHANNEL, 5, 5, RECORDS))));
    assertEquals(range(7, 10), cursors(await(records.readAfter(CHANNEL, 6, 4, RECORDS))),
        "nothing newer on the replica: all from the primary");
    assertEquals(range(1, 10), cursors(await(records.readRange(CHANNEL, 0, Long.MAX_VALUE, 0, 100))));
    assertEquals(range(4, 8), cursors(await(records.readRange(CHANNEL, 0, Long.MAX_VALUE, 3, 5))));
    assertEquals(range(1, 6), cursors(await(new RecordStore(behind).readAfter(CHANNEL, 0, 100))),
        "the read pool itself does lag");
  }

  @Test
  void aReadPoolThatFailsTheReadLeavesItToThePrimary() {
    Pool broken = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)
            .setProperties(Map.of("search_path", "no_such_schema")))
        .using(vertx).build();
    RecordStore records = new RecordStore(primary, broken);
    assertEquals(range(1, 10), cursors(await(records.readRange(CHANNEL, 0, Long.MAX_VALUE, 0, 100))));
    assertEquals(range(1, 5), cursors(await(records.readAfter(CHANNEL, 0, 5, RECORDS))));
  }
}
