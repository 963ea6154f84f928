package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well blobs are replicated, over blobs, copies, nodes and tasks together: the counts of
 * {@code GET /v1/storage/health} (S5) and the blobs that repair must bring back to their count (S4).
 */
public final class RepairQueries {
  private final Pool pool;

  public RepairQueries(Pool pool) {
    this.pool = pool;
  }

  /** Counts for {@code GET /v1/storage/health} (S5). */
  public Future<JsonObject> health() {
    return pool.query("WITH per_blob AS (SELECT b.blob_id, b.copies, count(c.store_id) FILTER "
            + "(WHERE c.state = 'healthy' AND n.state = 'up') AS readable FROM blobs b "
            + "LEFT JOIN blob_copies c ON c.blob_id = b.blob_id LEFT JOIN storage_nodes n ON n.store_id = c.store_id "
            + "WHERE b.state = 'live' GROUP BY b.blob_id, b.copies) SELECT "
            + "(SELECT count(*) FROM per_blob), "
            + "(SELECT count(*) FROM per_blob WHERE readable >= copies), "
            + "(SELECT count(*) FROM per_blob WHERE readable > 0 AND readable < copies), "
            + "(SELECT count(*) FROM per_blob WHERE readable = 0), "
            + "(SELECT count(*) FROM blob_copies WHERE state = 'deleted' AND deleted_reason LIKE 'corrupt%'), "
            + "(SELECT count(*) FROM task_items i JOIN task_plans p ON p.plan_id = i.plan_id "
            + "  WHERE i.kind = 'mirror' AND i.state = 'done' AND p.params->>'reason' = 'repair'), "
            + "(SELECT count(*) FROM storage_nodes WHERE state = 'up'), "
            + "(SELECT count(*) FROM storage_nodes WHERE state = 'down')")
        .execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("blobs", r.getLong(0)).put("healthy", r.getLong(1))
              .put("underReplicated", r.getLong(2)).put("unavailable", r.getLong(3)).put("corruptCopies", r.getLong(4))
              .put("repairedCopies", r.getLong(5)).put("nodesUp", r.getLong(6)).put("nodesDown", r.getLong(7));
        });
  }

  /** A blob that has fewer (or more) readable copies than it should, and its priority (0 the highest). */
  public record Imbalance(String blobId, long size, int copies, List<String> mirrors, List<String> readable,
                          List<String> pendingTargets, int recentFailures, long lastFailureAt, int priority) {}

  /** Blob ids after {@code from} up to {@code to} (inclusive); from "" is the catalog's start. */
  public record Page(String from, String to) {}

  /**
   * The end of the next page of at most {@code size} live blobs after {@code from} (by id; "" for
   * the first), or null when no live blob follows it: the periodic sweep reads the catalog a page at a time, so
   * its cost does not grow with the number of blobs.
   */
  public Future<String> pageEnd(String from, int size) {
    return pool.preparedQuery("SELECT max(blob_id) FROM (SELECT blob_id FROM blobs WHERE state = 'live' "
            + "AND blob_id > $1 ORDER BY blob_id LIMIT $2) p")
        .execute(Tuple.of(from, size))
        .map(rows -> rows.iterator().next().getString(0));
  }

  /**
   * Live blobs whose readable copies plus copies being made are fewer than their count (S4), or
   * whose readable copies exceed it with no task in flight on it (a node came back after a repair),
   * each with its mirror items that failed since {@code failuresSince} (not counting node losses);
   * the most urgent blobs come first (E7), so the limit never leaves priority-0 data waiting
   * behind a backlog of others, and among equals those with the fewest failures.
   */
  public Future<List<Imbalance>> imbalanced(int limit, long failuresSince) {
    return imbalanced(limit, failuresSince, null);
  }

  /** As {@link #imbalanced(int, long)}, among the blobs of {@code page} only (all of them when null). */
  public Future<List<Imbalance>> imbalanced(int limit, long failuresSince, Page page) {
    return pool.preparedQuery("WITH failed AS (SELECT blob_id, count(*) AS n, max(finished_at) AS last FROM task_items "
            + "WHERE state = 'failed' AND kind = 'mirror' AND finished_at > $2 "
            + "AND error IS DISTINCT FROM '" + TaskStore.NODE_DOWN + "' "
            + "GROUP BY blob_id), pending AS (SELECT blob_id, coalesce(array_agg(run_on) FILTER (WHERE kind = "
            + "'mirror'), '{}') AS targets FROM task_items WHERE state IN ('planned', 'started') GROUP BY blob_id), "
            + "per_blob AS (SELECT b.blob_id, b.size, b.copies, b.mirrors, b.priority, "
            + "coalesce(array_agg(c.store_id ORDER BY c.created_at DESC) FILTER (WHERE c.state = 'healthy' "
            + "AND n.state = 'up'), '{}') AS readable "
            + "FROM blobs b LEFT JOIN blob_copies c ON c.blob_id = b.blob_id "
            + "LEFT JOIN storage_nodes n ON n.store_id = c.store_id WHERE b.state = 'live' "
            + (page == null ? "" : "AND b.blob_id > $3 AND b.blob_id <= $4 ")
            + "GROUP BY b.blob_id, b.size, b.copies, b.mirrors, b.priority) "
            + "SELECT p.blob_id, p.size, p.copies, p.mirrors, p.readable, coalesce(q.targets, '{}'), "
            + "coalesce(f.n, 0)::int, coalesce(f.last, 0), p.priority FROM per_blob p "
            + "LEFT JOIN pending q ON q.blob_id = p.blob_id LEFT JOIN failed f ON f.blob_id = p.blob_id "
            + "WHERE cardinality(p.readable) + cardinality(coalesce(q.targets, '{}')) < p.copies "
            + "OR (cardinality(p.readable) > p.copies AND q.blob_id IS NULL) "
            + "ORDER BY p.priority, coalesce(f.n, 0) LIMIT $1")
        .execute(page == null ? Tuple.of(limit, failuresSince)
            : Tuple.of(limit, failuresSince, page.from(), page.to()))
        .map(rows -> {
          List<Imbalance> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Imbalance(row.getString(0), row.getLong(1), row.getInteger(2),
                Arrays.asList(row.getArrayOfStrings(3)), Arrays.asList(row.getArrayOfStrings(4)),
                Arrays.asList(row.getArrayOfStrings(5)), row.getInteger(6), row.getLong(7), row.getInteger(8)));
          }
          return out;
        });
  }
}
