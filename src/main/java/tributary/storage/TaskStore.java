package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tributary.placement.PendingWork;

/**
 * Storage task plans and their items (S7): planned centrally, each within an optional time window;
 * handed to the node that runs them as its plan file and marked from the file it sends back, with
 * a state and error that stay visible.
 */
public final class TaskStore {
  /** The error of items failed because their node went down; repair back-off does not count them. */
  public static final String NODE_DOWN = "node down";
  public static final String PLANNED = "planned";
  public static final String STARTED = "started";
  public static final String DONE = "done";
  public static final String FAILED = "failed";
  public static final String UNSUPPORTED = "unsupported";

  private final Pool pool;

  public TaskStore(Pool pool) {
    this.pool = pool;
  }

  /** One unit of work on one node. */
  public record Item(long itemId, String planId, TaskKind kind, String blobId, String runOn, String sourceStore,
                     long bytes, JsonObject params) {}

  /** An item to plan: what, on which blob, run by which node, copying from which. */
  public record Planned(TaskKind kind, String blobId, String runOn, String sourceStore, long bytes) {}

  /**
   * When a plan's items may run (S7), epoch ms: none is handed out before {@code notBefore}, and
   * one not started by {@code notAfter} fails {@value PlanMarks#WINDOW_CLOSED}; null leaves that end open.
   */
  public record Window(Long notBefore, Long notAfter) {
    public static final Window OPEN = new Window(null, null);

    public Window {
      if (notBefore != null && notAfter != null && notAfter <= notBefore) {
        throw new IllegalArgumentException("notAfter must come after notBefore");
      }
    }
  }

  /** How long after a window closes its unstarted items are failed, so the node's last marks can arrive first. */
  static final long WINDOW_GRACE_MS = 5_000;

  public static Future<Void> plan(SqlClient tx, String planId, TaskKind kind, String blobId, JsonObject params,
                                  String createdBy, long now, List<Planned> items) {
    return plan(tx, planId, kind, blobId, params, createdBy, now, Window.OPEN, items);
  }

  /** Plans the items; each takes its blob's priority (E7), the lowest for a blob not known. */
  public static Future<Void> plan(SqlClient tx, String planId, TaskKind kind, String blobId, JsonObject params,
                                  String createdBy, long now, Window window, List<Planned> items) {
    Future<Void> planRow = tx.preparedQuery("INSERT INTO task_plans (plan_id, kind, blob_id, params, created_by, "
            + "created_at, not_before, not_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.from(new Object[] {planId, kind.id(), blobId, params, createdBy, now, window.notBefore(),
            window.notAfter()}))
        .mapEmpty();
    if (items.isEmpty()) {
      return planRow;
    }
    List<Tuple> rows = new ArrayList<>();
    for (Planned i : items) {
      rows.add(Tuple.of(planId, i.kind().id(), i.blobId(), i.runOn(), i.sourceStore(), i.bytes(), now));
    }
    return planRow.compose(v -> tx.preparedQuery("INSERT INTO task_items (plan_id, kind, blob_id, run_on, "
            + "source_store, bytes, state, planned_at, priority) VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, "
            + "coalesce((SELECT priority FROM blobs WHERE blob_id = $3), " + PriorityOrder.UNSTATED + "))")
        .executeBatch(rows)
        .mapEmpty());
  }

  public Future<Void> plan(String planId, TaskKind kind, String blobId, JsonObject params, String createdBy, long now,
                           Window window, List<Planned> items) {
    return pool.withTransaction(tx -> plan(tx, planId, kind, blobId, params, createdBy, now, window, items));
  }

  /**
   * The node's plan file (S7): up to {@code limit} of its planned items whose plan's window is open
   * at {@code now}, the most urgent first (E7). Handing them out changes nothing: they stay planned
   * until the node sends the file back marked ({@link #apply}).
   */
  public Future<PlanFile> handOut(String storeId, int limit, long now) {
    return pool.preparedQuery("SELECT i.item_id, i.plan_id, i.kind, i.blob_id, i.source_store, i.bytes, i.priority, "
            + "p.kind, p.params, p.not_before, p.not_after FROM task_items i JOIN task_plans p ON p.plan_id = i.plan_id "
            + "WHERE i.run_on = $1 AND i.state = 'planned' AND (p.not_before IS NULL OR p.not_before <= $3) "
            + "AND (p.not_after IS NULL OR p.not_after > $3) ORDER BY i.priority, i.item_id LIMIT $2")
        .execute(Tuple.of(storeId, limit, now))
        .map(rows -> {
          Map<String, PlanFile.Plan> plans = new LinkedHashMap<>();
          Map<String, List<PlanFile.Item>> items = new LinkedHashMap<>();
          for (Row row : rows) {
            String planId = row.getString(1);
            plans.computeIfAbsent(planId, id -> new PlanFile.Plan(id, TaskKind.parse(row.getString(7)),
                (JsonObject) row.getValue(8), row.getLong(9), row.getLong(10), List.of()));
            items.computeIfAbsent(planId, id -> new ArrayList<>()).add(new PlanFile.Item(row.getLong(0),
                TaskKind.parse(row.getString(2)), row.getString(3), row.getLong(5), row.getInteger(6),
                row.getString(4), PLANNED, null, null, null, null));
          }
          List<PlanFile.Plan> out = new ArrayList<>();
          plans.forEach((id, p) -> out.add(new PlanFile.Plan(id, p.kind(), p.params(), p.notBefore(), p.notAfter(),
              items.get(id))));
          return new PlanFile(storeId, now, out);
        });
  }

  /**
   * Applies a node's marked plan file (S7) in one transaction: every item is judged first
   * ({@link PlanMarks}), so a file with one item it may not mark applies nothing. Answers how many
   * items changed and how many of them failed.
   */
  public Future<Applied> apply(String storeId, PlanFile file, long now) {
    Long[] ids = file.plans().stream().flatMap(p -> p.items().stream()).map(PlanFile.Item::id).toArray(Long[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT i.item_id, i.plan_id, i.run_on, i.state, p.not_after "
            + "FROM task_items i JOIN task_plans p ON p.plan_id = i.plan_id WHERE i.item_id = ANY($1) FOR UPDATE OF i")
        .execute(Tuple.of(ids))
        .compose(rows -> {
          Map<Long, PlanMarks.Stored> stored = new HashMap<>();
          for (Row row : rows) {
            stored.put(row.getLong(0), new PlanMarks.Stored(row.getLong(0), row.getString(1), row.getString(2),
                row.getString(3), row.getLong(4)));
          }
          List<PlanMarks.Change> changes = PlanMarks.of(storeId, file, stored, now);
          Applied applied = new Applied(changes.size(),
              (int) changes.stream().filter(c -> FAILED.equals(c.state())).count());
          if (changes.isEmpty()) {
            return Future.succeededFuture(applied);
          }
          List<Tuple> updates = changes.stream().map(c -> Tuple.from(new Object[] {c.itemId(), c.state(), c.error(),
              c.output(), c.startedAt(), c.finishedAt()})).toList();
          return tx.preparedQuery("UPDATE task_items SET state = $2, error = $3, output_blob = $4, "
                  + "started_at = coalesce($5, started_at), finished_at = $6 WHERE item_id = $1")
              .executeBatch(updates)
              .map(v -> applied);
        }));
  }

  /** What applying a plan file did: items changed, and how many of those failed. */
  public record Applied(int changed, int failed) {}

  /**
   * Fails the planned items of plans whose window closed at least {@link #WINDOW_GRACE_MS} ago
   * (S7): they were not started in time. Answers how many.
   */
  public Future<Integer> closeWindows(long now) {
    return pool.preparedQuery("UPDATE task_items i SET state = 'failed', error = '" + PlanMarks.WINDOW_CLOSED + "', "
            + "finished_at = $1 FROM task_plans p WHERE p.plan_id = i.plan_id AND i.state = 'planned' "
            + "AND p.not_after IS NOT NULL AND p.not_after <= $2")
        .execute(Tuple.of(now, now - WINDOW_GRACE_MS))
        .map(rows -> rows.rowCount());
  }

  /**
   * Work waiting for or running on the node, by task and blob kind, with the measured duration of
   * its media: the work part of its load score (S2).
   */
  public Future<StorageNode.Pending> pending(String storeId) {
    return pool.preparedQuery("SELECT i.kind, b.kind, coalesce(sum(i.bytes), 0), coalesce(sum(b.media_seconds), 0) "
            + "FROM task_items i "
            + "LEFT JOIN blobs b ON b.blob_id = i.blob_id WHERE i.run_on = $1 AND i.state IN ('planned', 'started') "
            + "GROUP BY i.kind, b.kind")
        .execute(Tuple.of(storeId))
        .map(rows -> {
          long total = 0;
          PendingWork work = new PendingWork();
          for (Row row : rows) {
            total += row.getLong(2);
            work.add(PendingWork.partOf(row.getString(0), row.getString(1)), row.getLong(2), row.getDouble(3));
          }
          return new StorageNode.Pending(total, work);
        });
  }

  /** Items waiting for or held by nodes that went down fail, so that repair plans them anew. */
  public Future<Integer> failItemsOn(List<String> storeIds, long now) {
    return pool.preparedQuery("UPDATE task_items SET state = 'failed', error = '" + NODE_DOWN + "', finished_at = $2 "
            + "WHERE run_on = ANY($1) AND state IN ('planned', 'started')")
        .execute(Tuple.of(storeIds.toArray(String[]::new), now))
        .map(rows -> rows.rowCount());
  }

  /**
   * Plans of a kind (or all), of one blob (or all), of the blobs of one owner (or everyone's),
   * newest first, each with its items and progress.
   */
  public Future<List<JsonObject>> list(String kind, String blobId, String owner, int limit) {
    return pool.preparedQuery("SELECT p.plan_id, p.kind, p.blob_id, p.params, p.created_by, p.created_at, "
            + "coalesce(json_agg(json_build_object('item', i.item_id, 'kind', i.kind, 'blob', i.blob_id, 'node', "
            + "i.run_on, 'source', i.source_store, 'bytes', i.bytes, 'priority', i.priority, 'state', i.state, "
            + "'error', i.error, "
            + "'output', i.output_blob, 'plannedAt', i.planned_at, 'startedAt', i.started_at, 'finishedAt', "
            + "i.finished_at) ORDER BY i.item_id) FILTER (WHERE i.item_id IS NOT NULL), '[]'), p.not_before, p.not_after "
            + "FROM task_plans p LEFT JOIN task_items i ON i.plan_id = p.plan_id "
            + "WHERE ($1::text IS NULL OR p.kind = $1) AND ($2::text IS NULL OR p.blob_id = $2 OR i.blob_id = $2) "
            + "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM blobs b WHERE b.blob_id = p.blob_id AND b.owner = $4)) "
            + "GROUP BY p.plan_id, p.created_at ORDER BY p.created_at DESC, p.plan_id LIMIT $3")
        .execute(Tuple.of(kind, blobId, limit, owner))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            JsonArray items = new JsonArray(String.valueOf(row.getValue(6)));
            List<String> states = items.stream().map(i -> ((JsonObject) i).getString("state")).toList();
            long finished = states.stream().filter(st -> !PLANNED.equals(st) && !STARTED.equals(st)).count();
            out.add(new JsonObject().put("id", row.getString(0)).put("kind", row.getString(1))
                .put("blob", row.getString(2)).put("params", row.getValue(3)).put("createdBy", row.getString(4))
                .put("createdAt", row.getLong(5)).put("notBefore", row.getLong(7)).put("notAfter", row.getLong(8))
                .put("state", planState(states, finished))
                .put("progress", new JsonObject().put("finished", finished).put("total", items.size()))
                .put("items", items));
          }
          return out;
        });
  }

  /** A plan is running until every item finished; then done, failed, or unsupported. */
  static String planState(List<String> states, long finished) {
    if (finished < states.size()) {
      return states.stream().allMatch(PLANNED::equals) ? PLANNED : STARTED;
    }
    if (states.stream().allMatch(DONE::equals)) {
      return DONE;
    }
    return states.contains(FAILED) ? FAILED : UNSUPPORTED;
  }
}
