package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import tributary.placement.PendingWork;

/**
 * Storage task plans and their items (S7): planned centrally, claimed by the node that runs each
 * item ({@code FOR UPDATE SKIP LOCKED}, so two workers never take one item), and finished with a
 * state and error that stay visible.
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

  public static Future<Void> plan(SqlClient tx, String planId, TaskKind kind, String blobId, JsonObject params,
                                  String createdBy, long now, List<Planned> items) {
    Future<Void> planRow = tx.preparedQuery("INSERT INTO task_plans (plan_id, kind, blob_id, params, created_by, "
            + "created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(planId, kind.id(), blobId, params, createdBy, now))
        .mapEmpty();
    if (items.isEmpty()) {
      return planRow;
    }
    List<Tuple> rows = new ArrayList<>();
    for (Planned i : items) {
      rows.add(Tuple.of(planId, i.kind().id(), i.blobId(), i.runOn(), i.sourceStore(), i.bytes(), now));
    }
    return planRow.compose(v -> tx.preparedQuery("INSERT INTO task_items (plan_id, kind, blob_id, run_on, "
            + "source_store, bytes, state, planned_at) VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7)")
        .executeBatch(rows)
        .mapEmpty());
  }

  public Future<Void> plan(String planId, TaskKind kind, String blobId, JsonObject params, String createdBy, long now,
                           List<Planned> items) {
    return pool.withTransaction(tx -> plan(tx, planId, kind, blobId, params, createdBy, now, items));
  }

  /** Takes up to {@code limit} planned items of the node and marks them started. */
  public Future<List<Item>> claim(String storeId, int limit, long now) {
    return pool.preparedQuery("UPDATE task_items i SET state = 'started', started_at = $3 FROM task_plans p "
            + "WHERE p.plan_id = i.plan_id AND i.item_id IN (SELECT item_id FROM task_items WHERE run_on = $1 "
            + "AND state = 'planned' ORDER BY item_id LIMIT $2 FOR UPDATE SKIP LOCKED) "
            + "RETURNING i.item_id, i.plan_id, i.kind, i.blob_id, i.run_on, i.source_store, i.bytes, p.params")
        .execute(Tuple.of(storeId, limit, now))
        .map(rows -> {
          List<Item> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Item(row.getLong(0), row.getString(1), TaskKind.parse(row.getString(2)), row.getString(3),
                row.getString(4), row.getString(5), row.getLong(6), (JsonObject) row.getValue(7)));
          }
          return out;
        });
  }

  public Future<Void> finish(long itemId, String state, String error, String outputBlob, long now) {
    return pool.preparedQuery("UPDATE task_items SET state = $2, error = $3, output_blob = $4, finished_at = $5 "
            + "WHERE item_id = $1")
        .execute(Tuple.of(itemId, state, error, outputBlob, now))
        .mapEmpty();
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
            + "i.run_on, 'source', i.source_store, 'bytes', i.bytes, 'state', i.state, 'error', i.error, "
            + "'output', i.output_blob, 'plannedAt', i.planned_at, 'startedAt', i.started_at, 'finishedAt', "
            + "i.finished_at) ORDER BY i.item_id) FILTER (WHERE i.item_id IS NOT NULL), '[]') "
            + "FROM task_plans p LEFT JOIN task_items i ON i.plan_id = p.plan_id "
            + "WHERE ($1::text IS NULL OR p.kind = $1) AND ($2::text IS NULL OR p.blob_id = $2 OR i.blob_id = $2) "
            + "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM blobs b WHERE b.blob_id = p.blob_id AND b.owner = $4)) "
            + "GROUP BY p.plan_id ORDER BY p.created_at DESC, p.plan_id LIMIT $3")
        .execute(Tuple.of(kind, blobId, limit, owner))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            JsonArray items = new JsonArray(String.valueOf(row.getValue(6)));
            List<String> states = items.stream().map(i -> ((JsonObject) i).getString("state")).toList();
            long finished = states.stream().filter(st -> !PLANNED.equals(st) && !STARTED.equals(st)).count();
            out.add(new JsonObject().put("id", row.getString(0)).put("kind", row.getString(1))
                .put("blob", row.getString(2)).put("params", row.getValue(3)).put("createdBy", row.getString(4))
                .put("createdAt", row.getLong(5)).put("state", planState(states, finished))
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
