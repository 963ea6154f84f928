package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tributary.placement.StoreLoad;
import tributary.store.Pg;

/**
 * Where blobs are (S3): the blobs users see, every copy with its checksums, state and last
 * verification, and the storage nodes as their heartbeats last described them.
 */
public final class BlobCatalog {
  /** Copy states: only healthy copies on up nodes serve reads. */
  public static final String HEALTHY = "healthy";
  public static final String CORRUPT = "corrupt";
  public static final String DELETED = "deleted";

  private final Pool pool;

  public BlobCatalog(Pool pool) {
    this.pool = pool;
  }

  /** A blob as users see it. */
  public record Blob(String blobId, String sha256, String md5, long size, String kind, String name,
                     String contentType, String owner, int copies, List<String> mirrors, String sourceBlob,
                     String derivedBy, String originNode, String originSite, String state, long createdAt) {
    public JsonObject toJson() {
      return new JsonObject().put("id", blobId).put("sha256", sha256).put("md5", md5).put("size", size)
          .put("type", kind).put("name", name).put("contentType", contentType).put("owner", owner)
          .put("replicas", copies).put("mirrors", new JsonArray(mirrors)).put("sourceBlob", sourceBlob)
          .put("derivedBy", derivedBy).put("originNode", originNode).put("originSite", originSite)
          .put("state", state).put("createdAt", createdAt);
    }
  }

  /** One copy of a blob and the node that holds it. */
  public record Copy(String blobId, String storeId, String path, String sha256, String md5, String state,
                     long createdAt, long verifiedAt, String nodeState, StoreLoad store) {
    public boolean readable() {
      return HEALTHY.equals(state) && "up".equals(nodeState);
    }

    public JsonObject toJson() {
      return new JsonObject().put("node", storeId).put("hostNode", store.hostNode()).put("site", store.site())
          .put("path", path).put("sha256", sha256).put("md5", md5).put("state", state)
          .put("nodeState", nodeState).put("createdAt", createdAt).put("verifiedAt", verifiedAt);
    }
  }

  // ---- storage nodes

  /** Records a heartbeat; a node that was down is up again, and the answer says so. */
  public Future<Boolean> heartbeat(StoreLoad s, long now) {
    return pool.preparedQuery("WITH before AS (SELECT state FROM storage_nodes WHERE store_id = $1) "
            + "INSERT INTO storage_nodes (store_id, host_node, site, url, state, load, free_bytes, "
            + "last_seen_at) VALUES ($1, $2, $3, $4, 'up', $5, $6, $7) ON CONFLICT (store_id) DO UPDATE SET "
            + "host_node = EXCLUDED.host_node, site = EXCLUDED.site, url = EXCLUDED.url, state = 'up', "
            + "load = EXCLUDED.load, free_bytes = EXCLUDED.free_bytes, last_seen_at = EXCLUDED.last_seen_at, "
            + "down_since = NULL RETURNING (SELECT state FROM before)")
        .execute(Tuple.of(s.storeId(), s.hostNode(), s.site(), s.url(), s.loadJson(), s.freeBytes(), now))
        .map(rows -> "down".equals(rows.iterator().next().getString(0)));
  }

  /** Marks nodes silent since {@code before} as down (S4) and returns their ids. */
  public Future<List<String>> markSilentDown(long before, long now) {
    return pool.preparedQuery("UPDATE storage_nodes SET state = 'down', down_since = $2 "
            + "WHERE state = 'up' AND last_seen_at < $1 RETURNING store_id")
        .execute(Tuple.of(before, now))
        .map(rows -> Pg.strings(rows, 0));
  }

  /** Storage nodes with their state: up ones first. */
  public Future<List<JsonObject>> stores() {
    return pool.query("SELECT " + STORE_COLUMNS + ", last_seen_at, down_since FROM storage_nodes "
            + "ORDER BY state DESC, store_id")
        .execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(store(row, 0).toJson().put("state", row.getString(6)).put("lastSeenAt", row.getLong(7))
                .put("downSince", row.getLong(8)));
          }
          return out;
        });
  }

  public Future<List<StoreLoad>> liveStores() {
    return pool.query("SELECT " + STORE_COLUMNS + " FROM storage_nodes WHERE state = 'up' ORDER BY store_id")
        .execute()
        .map(rows -> {
          List<StoreLoad> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(store(row, 0));
          }
          return out;
        });
  }

  private static final String STORE_COLUMNS = "store_id, host_node, site, url, free_bytes, load, state";

  private static StoreLoad store(Row row, int at) {
    Object load = row.getValue(at + 5);
    return StoreLoad.of(row.getString(at), row.getString(at + 1), row.getString(at + 2), row.getString(at + 3),
        row.getLong(at + 4), load instanceof JsonObject j ? j : new JsonObject());
  }

  // ---- blobs and copies

  private static final String BLOB_COLUMNS = "blob_id, sha256, md5, size, kind, name, content_type, owner, copies, "
      + "mirrors, source_blob, derived_by, origin_node, origin_site, state, created_at";

  private static Blob blob(Row row) {
    return new Blob(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), row.getString(4),
        row.getString(5), row.getString(6), row.getString(7), row.getInteger(8), Arrays.asList(row.getArrayOfStrings(9)),
        row.getString(10), row.getString(11), row.getString(12), row.getString(13), row.getString(14), row.getLong(15));
  }

  /**
   * A new blob, its durable copies and the mirror items that bring it to its copy count, in one
   * statement (so one round trip and atomic): a blob is never known without its plan.
   */
  public Future<Void> insertWithCopies(Blob b, List<String> copyStores, List<String> copyPaths, String planId,
                                       JsonObject planParams, String createdBy, List<String> mirrorTargets,
                                       String mirrorSource, long now) {
    return pool.preparedQuery("WITH blob AS (INSERT INTO blobs (" + BLOB_COLUMNS + ") VALUES "
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)), "
            + "copies AS (INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, verified_at) "
            + "SELECT $1, u.store_id, u.path, $2, $3, 'healthy', $16, $16 FROM unnest($17::text[], $18::text[]) "
            + "AS u(store_id, path)), "
            + "plan AS (INSERT INTO task_plans (plan_id, kind, blob_id, params, created_by, created_at) "
            + "SELECT $19, 'mirror', $1, $20, $21, $16 WHERE cardinality($22::text[]) > 0), "
            + "items AS (INSERT INTO task_items (plan_id, kind, blob_id, run_on, source_store, bytes, state, planned_at) "
            + "SELECT $19, 'mirror', $1, t, $23, $4, 'planned', $16 FROM unnest($22::text[]) AS t) "
            + "SELECT 1")
        .execute(Tuple.from(new Object[] {b.blobId(), b.sha256(), b.md5(), b.size(), b.kind(), b.name(),
            b.contentType(), b.owner(), b.copies(), b.mirrors().toArray(String[]::new), b.sourceBlob(), b.derivedBy(),
            b.originNode(), b.originSite(), b.state(), b.createdAt(), copyStores.toArray(String[]::new),
            copyPaths.toArray(String[]::new), planId, planParams, createdBy, mirrorTargets.toArray(String[]::new),
            mirrorSource}))
        .mapEmpty();
  }

  /** Records a durable copy as healthy (a re-copy onto a node that held a bad one heals it). */
  public static Future<Void> putCopy(SqlClient client, String blobId, String storeId, String path, String sha256,
                                     String md5, long now) {
    return client.preparedQuery("INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, "
            + "verified_at) VALUES ($1, $2, $3, $4, $5, 'healthy', $6, $6) ON CONFLICT (blob_id, store_id) DO UPDATE "
            + "SET path = EXCLUDED.path, sha256 = EXCLUDED.sha256, md5 = EXCLUDED.md5, state = 'healthy', "
            + "created_at = EXCLUDED.created_at, verified_at = EXCLUDED.verified_at")
        .execute(Tuple.of(blobId, storeId, path, sha256, md5, now))
        .mapEmpty();
  }

  public Future<Void> putCopy(String blobId, String storeId, String path, String sha256, String md5, long now) {
    return putCopy(pool, blobId, storeId, path, sha256, md5, now);
  }

  /** The blob, deleted or not; null when there never was one. */
  public Future<Blob> blob(String blobId) {
    return pool.preparedQuery("SELECT " + BLOB_COLUMNS + " FROM blobs WHERE blob_id = $1")
        .execute(Tuple.of(blobId))
        .map(rows -> rows.size() == 0 ? null : blob(rows.iterator().next()));
  }

  /** Blobs made from {@code blobId} by a task. */
  public Future<List<Blob>> derivedFrom(String blobId) {
    return pool.preparedQuery("SELECT " + BLOB_COLUMNS + " FROM blobs WHERE source_blob = $1 ORDER BY created_at")
        .execute(Tuple.of(blobId))
        .map(rows -> {
          List<Blob> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(blob(row));
          }
          return out;
        });
  }

  /** Every copy of the blob in any state, with its node. */
  public Future<List<Copy>> copies(String blobId) {
    return pool.preparedQuery("SELECT c.blob_id, c.store_id, c.path, c.sha256, c.md5, c.state, c.created_at, "
            + "c.verified_at, n.state, " + prefixed("n.", STORE_COLUMNS) + " FROM blob_copies c "
            + "JOIN storage_nodes n ON n.store_id = c.store_id WHERE c.blob_id = $1 ORDER BY c.created_at, c.store_id")
        .execute(Tuple.of(blobId))
        .map(rows -> {
          List<Copy> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Copy(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getLong(6), row.getLong(7), row.getString(8), store(row, 9)));
          }
          return out;
        });
  }

  private static String prefixed(String prefix, String columns) {
    return prefix + String.join(", " + prefix, columns.split(", "));
  }

  /** Hides the blob at once; its copies are collected by a recycle task. */
  public Future<Boolean> markDeleted(SqlClient tx, String blobId, long now) {
    return tx.preparedQuery("UPDATE blobs SET state = 'deleted', deleted_at = $2 WHERE blob_id = $1 AND state = 'live'")
        .execute(Tuple.of(blobId, now))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Every copy of this content on the node is bad: they share one file. */
  public Future<Void> markCorrupt(String storeId, String sha256) {
    return pool.preparedQuery("UPDATE blob_copies SET state = 'corrupt' WHERE store_id = $1 AND sha256 = $2 "
            + "AND state = 'healthy'")
        .execute(Tuple.of(storeId, sha256))
        .mapEmpty();
  }

  /** Marks the blob's copy on the node deleted; its file is collected if nothing else references it. */
  public Future<Void> dropCopy(String blobId, String storeId) {
    return pool.preparedQuery("UPDATE blob_copies SET state = 'deleted' WHERE blob_id = $1 AND store_id = $2")
        .execute(Tuple.of(blobId, storeId))
        .mapEmpty();
  }

  /** Content on a node no copy references, and when a copy of it there was last recorded (0: never). */
  public record Unreferenced(String sha256, long lastRecordedAt) {}

  /**
   * Of the given contents on the node, those no copy there references any more (every copy of
   * them, of any blob, is deleted or there never was one): the only files that may be collected.
   */
  public Future<List<Unreferenced>> unreferenced(String storeId, List<String> sha256s) {
    return pool.preparedQuery("SELECT u.s, coalesce(max(c.created_at), 0) FROM unnest($2::text[]) AS u(s) "
            + "LEFT JOIN blob_copies c ON c.store_id = $1 AND c.sha256 = u.s GROUP BY u.s "
            + "HAVING count(*) FILTER (WHERE c.state <> 'deleted') = 0")
        .execute(Tuple.tuple().addString(storeId).addArrayOfString(sha256s.toArray(String[]::new)))
        .map(rows -> {
          List<Unreferenced> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Unreferenced(row.getString(0), row.getLong(1)));
          }
          return out;
        });
  }

  /** Content on the node due for a scrub: healthy copies verified longest ago, before {@code before}. */
  public Future<List<String>> dueForScrub(String storeId, long before, int limit) {
    return pool.preparedQuery("SELECT sha256 FROM blob_copies WHERE store_id = $1 AND state = 'healthy' "
            + "GROUP BY sha256 HAVING min(verified_at) < $2 ORDER BY min(verified_at) LIMIT $3")
        .execute(Tuple.of(storeId, before, limit))
        .map(rows -> Pg.strings(rows, 0));
  }

  public Future<Void> verified(String storeId, String sha256, long now) {
    return pool.preparedQuery("UPDATE blob_copies SET verified_at = $3 WHERE store_id = $1 AND sha256 = $2 "
            + "AND state = 'healthy'")
        .execute(Tuple.of(storeId, sha256, now))
        .mapEmpty();
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
            + "(SELECT count(*) FROM blob_copies WHERE state = 'corrupt'), "
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

  /** A blob that has fewer (or more) readable copies than it should. */
  public record Imbalance(String blobId, long size, int copies, List<String> mirrors, List<String> readable,
                          List<String> pendingTargets, int recentFailures, long lastFailureAt) {}

  /**
   * Live blobs whose readable copies plus copies being made are fewer than their count (S4), or
   * whose readable copies exceed it with no task in flight on it (a node came back after a repair),
   * each with its mirror items that failed since {@code failuresSince} (not counting node losses);
   * blobs with the fewest failures come first.
   */
  public Future<List<Imbalance>> imbalanced(int limit, long failuresSince) {
    return pool.preparedQuery("WITH failed AS (SELECT blob_id, count(*) AS n, max(finished_at) AS last FROM task_items "
            + "WHERE state = 'failed' AND kind = 'mirror' AND finished_at > $2 "
            + "AND error IS DISTINCT FROM '" + TaskStore.NODE_DOWN + "' "
            + "GROUP BY blob_id), pending AS (SELECT blob_id, coalesce(array_agg(run_on) FILTER (WHERE kind = "
            + "'mirror'), '{}') AS targets FROM task_items WHERE state IN ('planned', 'started') GROUP BY blob_id), "
            + "per_blob AS (SELECT b.blob_id, b.size, b.copies, b.mirrors, coalesce(array_agg(c.store_id ORDER BY "
            + "c.created_at DESC) FILTER (WHERE c.state = 'healthy' AND n.state = 'up'), '{}') AS readable "
            + "FROM blobs b LEFT JOIN blob_copies c ON c.blob_id = b.blob_id "
            + "LEFT JOIN storage_nodes n ON n.store_id = c.store_id WHERE b.state = 'live' "
            + "GROUP BY b.blob_id, b.size, b.copies, b.mirrors) "
            + "SELECT p.blob_id, p.size, p.copies, p.mirrors, p.readable, coalesce(q.targets, '{}'), "
            + "coalesce(f.n, 0)::int, coalesce(f.last, 0) FROM per_blob p "
            + "LEFT JOIN pending q ON q.blob_id = p.blob_id LEFT JOIN failed f ON f.blob_id = p.blob_id "
            + "WHERE cardinality(p.readable) + cardinality(coalesce(q.targets, '{}')) < p.copies "
            + "OR (cardinality(p.readable) > p.copies AND q.blob_id IS NULL) ORDER BY coalesce(f.n, 0) LIMIT $1")
        .execute(Tuple.of(limit, failuresSince))
        .map(rows -> {
          List<Imbalance> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Imbalance(row.getString(0), row.getLong(1), row.getInteger(2),
                Arrays.asList(row.getArrayOfStrings(3)), Arrays.asList(row.getArrayOfStrings(4)),
                Arrays.asList(row.getArrayOfStrings(5)), row.getInteger(6), row.getLong(7)));
          }
          return out;
        });
  }
}
