package tributary.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the task tables' daily partitions (X2, V19, {@link PartitionPlan}): creates the days
 * ahead and drops the days past the retention, one node at a time (a session advisory lock; a
 * node that finds it held skips the run). A day is dropped only once no row in it is still work
 * to do: an undelivered dispatch task or a storage item not yet finished stays, with its day, and
 * is dropped by a later run (D6: nothing is dropped silently).
 */
public final class PartitionMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);

  /** A partitioned task table: which of its rows are open work, and the rows elsewhere that go with a dropped day. */
  private record TaskTable(String name, String open, List<String> cleanup) {}

  /** In drop order: a plan's day goes after its items' day (they share the day, see TaskStore.plan). */
  private static final List<TaskTable> TABLES = List.of(
      new TaskTable("dispatch_tasks", "t.state IN ('queued', 'sending', 'retrying')", List.of(
          "DELETE FROM dispatch_payloads WHERE task_id IN (SELECT task_id FROM %s)",
          "DELETE FROM dispatch_attempts WHERE task_id IN (SELECT task_id FROM %s)")),
      new TaskTable("task_items", "t.state IN ('planned', 'started')", List.of()),
      new TaskTable("task_plans", "EXISTS (SELECT 1 FROM task_items i WHERE i.plan_id = t.plan_id "
          + "AND i.state IN ('planned', 'started'))", List.of()));

  /** What a run did: partitions created and dropped, and those past the retention kept for open work. */
  public record Outcome(List<String> created, List<String> dropped, List<String> keptOpen) {}

  private final Pool pool;
  private final String schema;
  private final int retentionDays;

  public PartitionMaintenance(Pool pool, String schema, int retentionDays) {
    this.pool = pool;
    this.schema = schema;
    this.retentionDays = retentionDays;
  }

  /** One run at {@code nowMs}; empty when another node holds the lock. */
  public Future<Outcome> run(long nowMs) {
    return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock(hashtext($1))")
        .execute(Tuple.of(lockName()))
        .compose(rows -> !rows.iterator().next().getBoolean(0)
            ? Future.succeededFuture(new Outcome(List.of(), List.of(), List.of()))
            : maintain(conn, nowMs).eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock(hashtext($1))")
                .execute(Tuple.of(lockName())))));
  }

  private String lockName() {
    return "tributary-partitions:" + schema;
  }

  private Future<Outcome> maintain(SqlConnection conn, long nowMs) {
    Outcome outcome = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    return partitions(conn).compose(existing -> {
      Future<Void> chain = Future.succeededFuture();
      for (TaskTable table : TABLES) {
        PartitionPlan.Steps steps = PartitionPlan.plan(table.name(), existing.getOrDefault(table.name(), List.of()),
            nowMs, retentionDays);
        for (PartitionPlan.Partition p : steps.create()) {
          chain = chain.compose(v -> create(conn, table, p, outcome));
        }
        for (String name : steps.drop()) {
          chain = chain.compose(v -> dropIfDone(conn, table, name, outcome));
        }
      }
      return chain.map(outcome);
    });
  }

  /** The partitions of each task table, by table. */
  private static Future<Map<String, List<String>>> partitions(SqlConnection conn) {
    return conn.preparedQuery("SELECT parent.relname, child.relname FROM pg_inherits i "
            + "JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent "
            + "WHERE parent.relnamespace = current_schema()::regnamespace AND parent.relname = ANY($1)")
        .execute(Tuple.of(TABLES.stream().map(TaskTable::name).toArray(String[]::new)))
        .map(rows -> {
          Map<String, List<String>> out = new HashMap<>();
          for (Row row : rows) {
            out.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
          }
          return out;
        });
  }

  /**
   * Creates one day; a failure (the default partition already holding rows of that day, when
   * maintenance fell behind) is logged and the day's rows stay in the default partition.
   */
  private static Future<Void> create(SqlConnection conn, TaskTable table, PartitionPlan.Partition p, Outcome outcome) {
    return conn.query("CREATE TABLE IF NOT EXISTS " + quoted(p.name()) + " PARTITION OF " + table.name()
            + " FOR VALUES FROM (" + p.fromMs() + ") TO (" + p.toMs() + ")").execute()
        .<Void>map(v -> {
          outcome.created().add(p.name());
          return null;
        })
        .recover(e -> {
          LOG.warn("task partition not created [partition: {}, cause: {}]", p.name(), e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Drops a day past the retention in one transaction, locked first so that no row in it changes meanwhile. */
  private static Future<Void> dropIfDone(SqlConnection conn, TaskTable table, String name, Outcome outcome) {
    String partition = quoted(name);
    return conn.begin().compose(tx -> conn.query("LOCK TABLE " + partition + " IN ACCESS EXCLUSIVE MODE").execute()
        .compose(v -> conn.query("SELECT EXISTS (SELECT 1 FROM " + partition + " t WHERE " + table.open() + ")")
            .execute())
        .compose(rows -> {
          if (rows.iterator().next().getBoolean(0)) {
            outcome.keptOpen().add(name);
            return Future.<Void>succeededFuture();
          }
          Future<Void> cleaned = Future.succeededFuture();
          for (String statement : table.cleanup()) {
            cleaned = cleaned.compose(v -> conn.query(statement.formatted(partition)).execute().mapEmpty());
          }
          return cleaned.compose(v -> conn.query("DROP TABLE " + partition).execute())
              .<Void>map(v -> {
                outcome.dropped().add(name);
                return null;
              });
        })
        .compose(v -> tx.commit(), e -> tx.rollback().transform(r -> Future.failedFuture(e))))
        .recover(e -> {
          LOG.warn("task partition not dropped [partition: {}, cause: {}]", name, e.getMessage());
          return Future.succeededFuture();
        });
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
