package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.CommitReceipt.Committed;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.dispatch.DispatchStore;
import tributary.storage.TaskKind;
import tributary.storage.TaskStore;
import tributary.support.LegacySchema;
import tributary.support.TestEnv;

/**
 * X2 on real PostgreSQL: V19 turns a filled schema's records and task tables into partitioned
 * ones with every row kept, cursors going on and retries still de-duplicated; V20 gives every
 * stored id its one record; partition maintenance drops finished task days past the retention and
 * keeps current days and open work.
 */
class PartitioningIntegrationTest {
  private static final long DAY_MS = 86_400_000L;
  private static final TestEnv env = new TestEnv();
  private static Vertx vertx;
  private static Pool pool;
  private static List<Envelope> before;
  private static String oldTaskId;

  @BeforeAll
  static void migrateAFilledPreV19Schema() throws Exception {
    vertx = Vertx.vertx();
    NodeConfig config = env.config("partitioning");
    pool = Pg.pool(vertx, config);
    // The schema as the last release before V19 left it: the old migrator's files, then Flyway takes over.
    LegacySchema.create(PgJdbc.of(config.pgUrlOrFail()), config.pgSchema(), SchemaMigrations.LEGACY_ORDER);

    before = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      before.add(envelope(UUID.randomUUID().toString(), "kept"));
    }
    before.add(envelope(UUID.randomUUID().toString(), "other"));
    LegacySchema.storeRecords(PgJdbc.of(config.pgUrlOrFail()), config.pgSchema(), before, 1);
    long longAgo = System.currentTimeMillis() - 40 * DAY_MS;
    oldTaskId = "1_" + longAgo + "_000001";
    insertTask(pool, oldTaskId, longAgo, "consumed");
    await(pool.query("INSERT INTO dispatch_attempts VALUES ('" + oldTaskId + "', 1, " + longAgo + ", 'n', 'refused')")
        .execute());
    await(TaskStore.plan(pool, "old-plan", TaskKind.MIRROR, "b1", new JsonObject(), "test", longAgo,
        List.of(new TaskStore.Planned(TaskKind.MIRROR, "b1", "s1", null, 10))));

    assertEquals(3, SchemaMigrations.migrate(config), "V19, V20 and V21 are applied");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    env.drop();
  }

  private static Envelope envelope(String id, String channel) {
    return new Envelope(id, "edge", channel, "json", 5, 1, "sender", null, "{\"n\":1}", null);
  }

  private static Future<RecordStore.Appended> append(Pool on, List<Envelope> envelopes) {
    return RecordStore.appendToPool(on, envelopes, Collections.nCopies(envelopes.size(), "g"), "core", 1, false);
  }

  private static void insertTask(Pool pool, String taskId, long createdAt, String state) {
    await(pool.preparedQuery("WITH t AS (INSERT INTO dispatch_tasks (task_id, sender, dest, data_type, level, "
            + "content_type, size, source_worker, created_at, created_by, state) VALUES ($1, 's', 'd', 'json', 5, "
            + "'application/json', 2, 1, $2, 'n', $3)) INSERT INTO dispatch_payloads VALUES ($1, '\\x7b7d')")
        .execute(Tuple.of(taskId, createdAt, state)));
  }

  private static long count(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  private static List<String> partitionsOf(Pool pool, String schema, String table) {
    List<String> out = new ArrayList<>();
    for (Row row : await(pool.preparedQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = $1::regclass ORDER BY 1").execute(Tuple.of(schema + "." + table)))) {
      out.add(row.getString(0));
    }
    return out;
  }

  private static String day(long epochMs, int plusDays) {
    return LocalDate.ofEpochDay(Math.floorDiv(epochMs, DAY_MS) + plusDays).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
  }

  @Test
  void theMigrationKeepsEveryRowAndCursorsGoOnDenselyWithRetriesStillDeduplicated() {
    for (String table : List.of("records", "dispatch_tasks", "task_plans", "task_items")) {
      assertEquals("p", await(pool.preparedQuery("SELECT relkind::text FROM pg_class WHERE oid = $1::regclass")
          .execute(Tuple.of(env.schema + "." + table))).iterator().next().getString(0), table);
    }
    assertEquals(16, partitionsOf(pool, env.schema, "records").size());

    RecordStore records = new RecordStore(pool);
    List<StoredRecord> kept = await(records.readAfter("kept", 0, 10));
    assertEquals(List.of(1L, 2L, 3L), kept.stream().map(StoredRecord::cursor).toList());
    assertEquals(before.subList(0, 3).stream().map(Envelope::id).toList(), kept.stream().map(StoredRecord::id).toList());
    assertNotNull(await(records.byId(before.get(3).id())), "a record is found by id alone");

    Envelope fresh = envelope(UUID.randomUUID().toString(), "kept");
    List<Committed> answered = await(append(pool, List.of(before.get(1), fresh))).receipt().records();
    assertEquals(List.of(2L, 4L), answered.stream().map(Committed::cursor).toList());
    assertEquals(List.of(true, false), answered.stream().map(Committed::duplicate).toList());
    // the checked statement (a transaction's) finds the stored id in the id table V20 filled too
    List<Committed> inTransaction = await(pool.withTransaction(tx -> RecordStore.appendIn(tx, List.of(fresh),
        List.of("g"), "core", 2, false))).receipt().records();
    assertTrue(inTransaction.get(0).duplicate());
    assertEquals(List.of(1L, 2L, 3L, 4L), await(records.readAfter("kept", 0, 10)).stream()
        .map(StoredRecord::cursor).toList(), "no record stored twice, no gap");

    JsonObject oldTask = await(new DispatchStore(pool).task(oldTaskId));
    assertNotNull(oldTask);
    assertEquals(1, oldTask.getJsonArray("failedAttempts").size());
    long oldItem = count(pool, "SELECT max(item_id) FROM task_items");
    await(TaskStore.plan(pool, "new-plan", TaskKind.MIRROR, "b2", new JsonObject(), "test",
        System.currentTimeMillis(), List.of(new TaskStore.Planned(TaskKind.MIRROR, "b2", "s1", null, 10))));
    assertTrue(count(pool, "SELECT max(item_id) FROM task_items") > oldItem, "item ids go on from the old sequence");
  }

  /**
   * E4, S8: between V19 and V20 a client could give one id to records of two channels. V20 keeps
   * both records and gives the id to the one committed first, whatever the channels' names.
   */
  @Test
  void v20FillsTheIdTableFromStoredRecordsNamingTheFirstCommittedOfAnIdInTwoChannels() throws Exception {
    TestEnv own = new TestEnv();
    NodeConfig config = own.config("v20");
    PgJdbc jdbc = PgJdbc.of(config.pgUrlOrFail());
    List<String> throughV19 = new ArrayList<>(SchemaMigrations.LEGACY_ORDER);
    throughV19.add("V19__partitioned_records_and_tasks.sql");
    LegacySchema.create(jdbc, own.schema, throughV19);
    List<Envelope> zulu = List.of(envelope(UUID.randomUUID().toString(), "zulu"),
        envelope(UUID.randomUUID().toString(), "zulu"));
    String twice = zulu.get(1).id();
    List<Envelope> alpha = List.of(envelope(UUID.randomUUID().toString(), "alpha"), envelope(twice, "alpha"));
    LegacySchema.storeRecords(jdbc, own.schema, zulu, 10);
    LegacySchema.storeRecords(jdbc, own.schema, alpha, 20);

    assertEquals(2, SchemaMigrations.migrate(config), "V20 and V21 are applied");
    Pool migrated = Pg.pool(vertx, config);
    try {
      assertEquals(4, count(migrated, "SELECT count(*) FROM records"), "no record lost");
      List<String> ids = new ArrayList<>();
      for (Row row : await(migrated.query("SELECT record_id::text, channel, cursor FROM record_ids "
          + "ORDER BY channel, cursor").execute())) {
        ids.add(row.getString(0) + " " + row.getString(1) + " " + row.getLong(2));
      }
      assertEquals(List.of(alpha.get(0).id() + " alpha 1", zulu.get(0).id() + " zulu 1", twice + " zulu 2"), ids,
          "each id once, the one in two channels at its first commit");
      StoredRecord found = await(new RecordStore(migrated).byId(twice));
      assertEquals(List.of("zulu", 2L), List.of(found.channel(), found.cursor()));

      Envelope fresh = envelope(UUID.randomUUID().toString(), "alpha");
      List<Committed> answered = await(append(migrated, List.of(envelope(twice, "alpha"), fresh))).receipt()
          .records();
      assertEquals(List.of(new Committed(twice, "zulu", 2, true), new Committed(fresh.id(), "alpha", 3, false)),
          answered);
    } finally {
      await(migrated.close());
      own.drop();
    }
  }

  @Test
  void maintenanceDropsFinishedDaysPastTheRetentionAndKeepsCurrentDaysAndOpenWork() {
    TestEnv own = new TestEnv();
    Pool tasksPool = own.migratedPool(vertx, "maintenance");
    try {
      maintain(tasksPool, own.schema);
    } finally {
      await(tasksPool.close());
      own.drop();
    }
  }

  private static void maintain(Pool pool, String schema) {
    long now = System.currentTimeMillis();
    String doneLongAgo = "2_" + (now - 40 * DAY_MS) + "_000001";
    String doneToday = "2_" + now + "_000002";
    String openTomorrow = "2_" + (now + DAY_MS) + "_000003";
    insertTask(pool, doneLongAgo, now - 40 * DAY_MS, "consumed");
    insertTask(pool, doneToday, now, "delivered");
    insertTask(pool, openTomorrow, now + DAY_MS, "retrying");
    await(pool.query("INSERT INTO dispatch_attempts VALUES ('" + doneToday + "', 1, " + now + ", 'n', 'refused')")
        .execute());
    await(TaskStore.plan(pool, "done-plan", TaskKind.MIRROR, "b2", new JsonObject(), "test", now,
        List.of(new TaskStore.Planned(TaskKind.MIRROR, "b2", "s1", null, 10))));
    await(pool.query("UPDATE task_items SET state = 'done' WHERE plan_id = 'done-plan'").execute());
    await(TaskStore.plan(pool, "open-plan", TaskKind.MIRROR, "b3", new JsonObject(), "test", now + DAY_MS,
        List.of(new TaskStore.Planned(TaskKind.MIRROR, "b3", "s1", null, 10))));

    PartitionMaintenance.Outcome current = await(new PartitionMaintenance(pool, schema, 30).run(now));
    assertEquals(List.of(), current.dropped(), "nothing is past 30 days yet");
    List<String> days = partitionsOf(pool, schema, "dispatch_tasks");
    assertTrue(days.contains("dispatch_tasks_p" + day(now, 0)), days.toString());
    assertTrue(days.contains("dispatch_tasks_p" + day(now, PartitionPlan.DAYS_AHEAD)), days.toString());

    long later = now + 40 * DAY_MS;
    PartitionMaintenance.Outcome run = await(new PartitionMaintenance(pool, schema, 30).run(later));
    assertTrue(run.dropped().containsAll(List.of("dispatch_tasks_p" + day(now, 0), "task_items_p" + day(now, 0),
        "task_plans_p" + day(now, 0))), run.toString());
    assertTrue(run.dropped().stream().anyMatch(p -> p.startsWith("dispatch_tasks_upto_")), run.toString());
    assertEquals(List.of("dispatch_tasks_p" + day(now, 1), "task_items_p" + day(now, 1), "task_plans_p" + day(now, 1)),
        run.keptOpen(), "the days holding open work");
    assertTrue(run.created().contains("dispatch_tasks_p" + day(later, PartitionPlan.DAYS_AHEAD)), run.toString());

    DispatchStore tasks = new DispatchStore(pool);
    assertNull(await(tasks.task(doneToday)));
    assertNull(await(tasks.task(doneLongAgo)));
    assertNotNull(await(tasks.task(openTomorrow)), "an undelivered task is never dropped (D6)");
    assertEquals(1, count(pool, "SELECT count(*) FROM dispatch_payloads"), "a dropped day's payloads go with it");
    assertEquals(0, count(pool, "SELECT count(*) FROM dispatch_attempts"));
    assertEquals(List.of("open-plan"), Pg.strings(await(pool.query("SELECT plan_id FROM task_plans").execute()), 0));
    assertFalse(partitionsOf(pool, schema, "dispatch_tasks").contains("dispatch_tasks_p" + day(now, 0)));

    PartitionMaintenance.Outcome forever = await(new PartitionMaintenance(pool, schema, 0).run(later + 400 * DAY_MS));
    assertEquals(List.of(), forever.dropped(), "retention 0 keeps every day");
  }
}
