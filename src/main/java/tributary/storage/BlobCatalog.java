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

/**
 * Where blobs are (S3): the blobs users see and every copy with its checksums, state and last
 * verification. The storage nodes are in {@link StorageNodes}; the counts and imbalances that
 * drive repair in {@link RepairQueries}.
 */
public final class BlobCatalog {
  /** Copy states: only healthy copies on up nodes serve reads. */
  public static final String HEALTHY = "healthy";
  public static final String DELETED = "deleted";

  private final Pool pool;

  public BlobCatalog(Pool pool) {
    this.pool = pool;
  }

  /**
   * A blob as users see it; its priority (0 the highest) orders the storage work it needs (E7);
   * {@code mediaSeconds} is a video's or audio file's duration once a storage node measured it
   * ({@link MediaProber}), else null.
   */
  public record Blob(String blobId, String sha256, String md5, long size, String kind, String name,
                     String contentType, String owner, int copies, List<String> mirrors, String sourceBlob,
                     String derivedBy, String originNode, String originSite, String state, long createdAt,
                     int priority, Double mediaSeconds) {
    /** A new blob, not measured yet. */
    public Blob(String blobId, String sha256, String md5, long size, String kind, String name, String contentType,
                String owner, int copies, List<String> mirrors, String sourceBlob, String derivedBy,
                String originNode, String originSite, String state, long createdAt, int priority) {
      this(blobId, sha256, md5, size, kind, name, contentType, owner, copies, mirrors, sourceBlob, derivedBy,
          originNode, originSite, state, createdAt, priority, null);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", blobId).put("sha256", sha256).put("md5", md5).put("size", size)
          .put("type", kind).put("name", name).put("contentType", contentType).put("owner", owner)
          .put("replicas", copies).put("mirrors", new JsonArray(mirrors)).put("sourceBlob", sourceBlob)
          .put("derivedBy", derivedBy).put("originNode", originNode).put("originSite", originSite)
          .put("state", state).put("createdAt", createdAt).put("priority", priority);
      return mediaSeconds == null ? json : json.put("mediaSeconds", mediaSeconds);
    }
  }

  /**
   * One copy of a blob and the node that holds it; {@code deletedReason} and {@code deletedAt}
   * say when and why it was last deleted (a healthy copy with them was made again since).
   */
  public record Copy(String blobId, String storeId, String path, String sha256, String md5, String state,
                     long createdAt, long verifiedAt, String nodeState, StoreLoad store, String deletedReason,
                     long deletedAt) {
    /** A copy never deleted. */
    public Copy(String blobId, String storeId, String path, String sha256, String md5, String state,
                long createdAt, long verifiedAt, String nodeState, StoreLoad store) {
      this(blobId, storeId, path, sha256, md5, state, createdAt, verifiedAt, nodeState, store, null, 0);
    }

    public boolean readable() {
      return HEALTHY.equals(state) && "up".equals(nodeState);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("node", storeId).put("hostNode", store.hostNode()).put("site", store.site())
          .put("path", path).put("sha256", sha256).put("md5", md5).put("state", state)
          .put("nodeState", nodeState).put("createdAt", createdAt).put("verifiedAt", verifiedAt);
      if (deletedReason != null) {
        json.put("deletedReason", deletedReason).put("deletedAt", deletedAt);
      }
      return json;
    }
  }

  private static final String BLOB_COLUMNS = "blob_id, sha256, md5, size, kind, name, content_type, owner, copies, "
      + "mirrors, source_blob, derived_by, origin_node, origin_site, state, created_at, priority";

  /** What a blob is read with: its columns, then its measured duration. */
  private static final String BLOB_READ = BLOB_COLUMNS + ", media_seconds";

  private static Blob blob(Row row) {
    return new Blob(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), row.getString(4),
        row.getString(5), row.getString(6), row.getString(7), row.getInteger(8), Arrays.asList(row.getArrayOfStrings(9)),
        row.getString(10), row.getString(11), row.getString(12), row.getString(13), row.getString(14), row.getLong(15),
        row.getInteger(16), row.getDouble(17));
  }

  /**
   * A new blob, its durable copies and the mirror items that bring it to its copy count, in one
   * statement (so one round trip and atomic): a blob is never known without its plan.
   */
  public Future<Void> insertWithCopies(Blob b, List<String> copyStores, List<String> copyPaths, String planId,
                                       JsonObject planParams, String createdBy, List<String> mirrorTargets,
                                       String mirrorSource, long now) {
    return pool.preparedQuery("WITH blob AS (INSERT INTO blobs (" + BLOB_COLUMNS + ") VALUES "
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $24)), "
            + "copies AS (INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, verified_at) "
            + "SELECT $1, u.store_id, u.path, $2, $3, 'healthy', $16, $16 FROM unnest($17::text[], $18::text[]) "
            + "AS u(store_id, path)), "
            + "plan AS (INSERT INTO task_plans (plan_id, kind, blob_id, params, created_by, created_at) "
            + "SELECT $19, 'mirror', $1, $20, $21, $16 WHERE cardinality($22::text[]) > 0), "
            + "items AS (INSERT INTO task_items (plan_id, kind, blob_id, run_on, source_store, bytes, state, planned_at, "
            + "priority) SELECT $19, 'mirror', $1, t, $23, $4, 'planned', $16, $24 FROM unnest($22::text[]) AS t) "
            + "SELECT 1")
        .execute(Tuple.from(new Object[] {b.blobId(), b.sha256(), b.md5(), b.size(), b.kind(), b.name(),
            b.contentType(), b.owner(), b.copies(), b.mirrors().toArray(String[]::new), b.sourceBlob(), b.derivedBy(),
            b.originNode(), b.originSite(), b.state(), b.createdAt(), copyStores.toArray(String[]::new),
            copyPaths.toArray(String[]::new), planId, planParams, createdBy, mirrorTargets.toArray(String[]::new),
            mirrorSource, b.priority()}))
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
    return pool.preparedQuery("SELECT " + BLOB_READ + " FROM blobs WHERE blob_id = $1")
        .execute(Tuple.of(blobId))
        .map(rows -> rows.size() == 0 ? null : blob(rows.iterator().next()));
  }

  /** Blobs made from {@code blobId} by a task. */
  public Future<List<Blob>> derivedFrom(String blobId) {
    return pool.preparedQuery("SELECT " + BLOB_READ + " FROM blobs WHERE source_blob = $1 ORDER BY created_at")
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
            + "c.verified_at, n.state, c.deleted_reason, coalesce(c.deleted_at, 0), " + prefixed("n.", StorageNodes.STORE_COLUMNS) + " FROM blob_copies c "
            + "JOIN storage_nodes n ON n.store_id = c.store_id WHERE c.blob_id = $1 ORDER BY c.created_at, c.store_id")
        .execute(Tuple.of(blobId))
        .map(rows -> {
          List<Copy> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Copy(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getLong(6), row.getLong(7), row.getString(8), StorageNodes.store(row, 11),
                row.getString(9), row.getLong(10)));
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

  /**
   * Every copy of this content on the node is bad (they share one file): each is marked deleted
   * with the reason, so its file may be collected and repair makes it again (S5).
   */
  public Future<Void> markBad(String storeId, String sha256, String reason, long now) {
    return pool.preparedQuery("UPDATE blob_copies SET state = 'deleted', deleted_reason = $3, deleted_at = $4 "
            + "WHERE store_id = $1 AND sha256 = $2 AND state = 'healthy'")
        .execute(Tuple.of(storeId, sha256, reason, now))
        .mapEmpty();
  }

  /** Marks the blob's copy on the node deleted; its file is collected if nothing else references it. */
  public Future<Void> dropCopy(String blobId, String storeId, String reason, long now) {
    return pool.preparedQuery("UPDATE blob_copies SET state = 'deleted', deleted_reason = $3, deleted_at = $4 "
            + "WHERE blob_id = $1 AND store_id = $2")
        .execute(Tuple.of(blobId, storeId, reason, now))
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

  /** A video or audio blob to measure, by its content on the node. */
  public record Unmeasured(String blobId, String sha256) {}

  /**
   * Takes up to {@code limit} live video and audio blobs with a healthy copy on the node that no
   * node has measured yet, and marks them taken, so each is measured once in the cluster.
   */
  public Future<List<Unmeasured>> takeUnmeasured(String storeId, int limit, long now) {
    return pool.preparedQuery("UPDATE blobs SET media_probed_at = $3 WHERE blob_id IN (SELECT b.blob_id FROM blobs b "
            + "WHERE b.media_probed_at IS NULL AND b.kind IN ('video', 'audio') AND b.state = 'live' AND EXISTS "
            + "(SELECT 1 FROM blob_copies c WHERE c.blob_id = b.blob_id AND c.store_id = $1 AND c.state = 'healthy') "
            + "LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING blob_id, sha256")
        .execute(Tuple.of(storeId, limit, now))
        .map(rows -> {
          List<Unmeasured> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Unmeasured(row.getString(0), row.getString(1)));
          }
          return out;
        });
  }

  public Future<Void> measured(String blobId, double seconds) {
    return pool.preparedQuery("UPDATE blobs SET media_seconds = $2 WHERE blob_id = $1")
        .execute(Tuple.of(blobId, seconds))
        .mapEmpty();
  }

  /** Content a scrub checks: its file's name and the MD5 the catalog keeps for it. */
  public record Due(String sha256, String md5) {}

  /** Content on the node due for a scrub: healthy copies verified longest ago, before {@code before}. */
  public Future<List<Due>> dueForScrub(String storeId, long before, int limit) {
    return pool.preparedQuery("SELECT sha256, md5 FROM blob_copies WHERE store_id = $1 AND state = 'healthy' "
            + "GROUP BY sha256, md5 HAVING min(verified_at) < $2 ORDER BY min(verified_at) LIMIT $3")
        .execute(Tuple.of(storeId, before, limit))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Due(row.getString(0), row.getString(1)));
          }
          return out;
        });
  }

  public Future<Void> verified(String storeId, String sha256, long now) {
    return pool.preparedQuery("UPDATE blob_copies SET verified_at = $3 WHERE store_id = $1 AND sha256 = $2 "
            + "AND state = 'healthy'")
        .execute(Tuple.of(storeId, sha256, now))
        .mapEmpty();
  }
}
