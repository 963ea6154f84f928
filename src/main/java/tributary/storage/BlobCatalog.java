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
   * A new blob to record: its durable copies (node and place), and the mirror plan that brings it
   * to its copy count (none when {@code mirrorTargets} is empty).
   */
  public record NewBlob(Blob blob, List<String> copyStores, List<String> copyPaths, String planId,
                        JsonObject planParams, String createdBy, List<String> mirrorTargets, String mirrorSource) {}

  /**
   * New blobs, their durable copies and the mirror items that bring them to their copy counts, in
   * one statement over arrays (so one round trip for many concurrent uploads, and atomic): a blob is
   * never known without its plan. Store ids hold no comma (they are listed with commas in
   * {@code mirrors=}), so each blob's mirrors travel as one comma-joined string.
   */
  public Future<Void> insertAll(List<NewBlob> group) {
    int n = group.size();
    Object[][] blobs = new Object[BLOB_ARRAY_TYPES.length][];
    for (int k = 0; k < blobs.length; k++) {
      blobs[k] = (Object[]) java.lang.reflect.Array.newInstance(BLOB_ARRAY_TYPES[k], n);
    }
    List<String> copyBlob = new ArrayList<>();
    List<String> copyStore = new ArrayList<>();
    List<String> copyPath = new ArrayList<>();
    List<String> copySha = new ArrayList<>();
    List<String> copyMd5 = new ArrayList<>();
    List<Long> copyAt = new ArrayList<>();
    List<String> planId = new ArrayList<>();
    List<String> planBlob = new ArrayList<>();
    List<String> planParams = new ArrayList<>();
    List<String> planBy = new ArrayList<>();
    List<Long> planAt = new ArrayList<>();
    List<String> itemPlan = new ArrayList<>();
    List<String> itemBlob = new ArrayList<>();
    List<String> itemRunOn = new ArrayList<>();
    List<String> itemSource = new ArrayList<>();
    List<Long> itemBytes = new ArrayList<>();
    List<Long> itemAt = new ArrayList<>();
    List<Integer> itemPriority = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      NewBlob nb = group.get(r);
      Blob b = nb.blob();
      Object[] row = {b.blobId(), b.sha256(), b.md5(), b.size(), b.kind(), b.name(), b.contentType(), b.owner(),
          b.copies(), String.join(",", b.mirrors()), b.sourceBlob(), b.derivedBy(), b.originNode(), b.originSite(),
          b.state(), b.createdAt(), b.priority()};
      for (int k = 0; k < blobs.length; k++) {
        blobs[k][r] = row[k];
      }
      for (int c = 0; c < nb.copyStores().size(); c++) {
        copyBlob.add(b.blobId());
        copyStore.add(nb.copyStores().get(c));
        copyPath.add(nb.copyPaths().get(c));
        copySha.add(b.sha256());
        copyMd5.add(b.md5());
        copyAt.add(b.createdAt());
      }
      if (!nb.mirrorTargets().isEmpty()) {
        planId.add(nb.planId());
        planBlob.add(b.blobId());
        planParams.add(nb.planParams().encode());
        planBy.add(nb.createdBy());
        planAt.add(b.createdAt());
        for (String target : nb.mirrorTargets()) {
          itemPlan.add(nb.planId());
          itemBlob.add(b.blobId());
          itemRunOn.add(target);
          itemSource.add(nb.mirrorSource());
          itemBytes.add(b.size());
          itemAt.add(b.createdAt());
          itemPriority.add(b.priority());
        }
      }
    }
    Tuple args = Tuple.tuple();
    for (Object[] column : blobs) {
      args.addValue(column);
    }
    args.addArrayOfString(texts(copyBlob)).addArrayOfString(texts(copyStore)).addArrayOfString(texts(copyPath))
        .addArrayOfString(texts(copySha)).addArrayOfString(texts(copyMd5)).addArrayOfLong(copyAt.toArray(Long[]::new))
        .addArrayOfString(texts(planId)).addArrayOfString(texts(planBlob)).addArrayOfString(texts(planParams))
        .addArrayOfString(texts(planBy)).addArrayOfLong(planAt.toArray(Long[]::new))
        .addArrayOfString(texts(itemPlan)).addArrayOfString(texts(itemBlob)).addArrayOfString(texts(itemRunOn))
        .addArrayOfString(texts(itemSource)).addArrayOfLong(itemBytes.toArray(Long[]::new))
        .addArrayOfLong(itemAt.toArray(Long[]::new))
        .addArrayOfInteger(itemPriority.toArray(Integer[]::new));
    return pool.preparedQuery(INSERT_ALL).execute(args).mapEmpty();
  }

  private static String[] texts(List<String> column) {
    return column.toArray(String[]::new);
  }

  /** The element type of each blob column's array, in {@link #BLOB_COLUMNS} order. */
  private static final Class<?>[] BLOB_ARRAY_TYPES = {String.class, String.class, String.class, Long.class,
      String.class, String.class, String.class, String.class, Integer.class, String.class, String.class, String.class,
      String.class, String.class, String.class, Long.class, Integer.class};

  private static final String INSERT_ALL = "WITH blob AS (INSERT INTO blobs (" + BLOB_COLUMNS + ") "
      + "SELECT u.blob_id, u.sha256, u.md5, u.size, u.kind, u.name, u.content_type, u.owner, u.copies, "
      + "CASE WHEN u.mirrors = '' THEN '{}'::text[] ELSE string_to_array(u.mirrors, ',') END, u.source_blob, "
      + "u.derived_by, u.origin_node, u.origin_site, u.state, u.created_at, u.priority FROM unnest($1::text[], "
      + "$2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], "
      + "$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::int[]) AS u(blob_id, "
      + "sha256, md5, size, kind, name, content_type, owner, copies, mirrors, source_blob, derived_by, origin_node, "
      + "origin_site, state, created_at, priority)), "
      + "copies AS (INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, verified_at) "
      + "SELECT u.blob_id, u.store_id, u.path, u.sha256, u.md5, 'healthy', u.at, u.at FROM unnest($18::text[], "
      + "$19::text[], $20::text[], $21::text[], $22::text[], $23::bigint[]) AS u(blob_id, store_id, path, sha256, md5, "
      + "at)), "
      + "plan AS (INSERT INTO task_plans (plan_id, kind, blob_id, params, created_by, created_at) "
      + "SELECT u.plan_id, 'mirror', u.blob_id, u.params::jsonb, u.created_by, u.at FROM unnest($24::text[], "
      + "$25::text[], $26::text[], $27::text[], $28::bigint[]) AS u(plan_id, blob_id, params, created_by, at)), "
      + "items AS (INSERT INTO task_items (plan_id, kind, blob_id, run_on, source_store, bytes, state, planned_at, "
      + "priority) SELECT u.plan_id, 'mirror', u.blob_id, u.run_on, u.source_store, u.bytes, 'planned', u.at, "
      + "u.priority FROM unnest($29::text[], $30::text[], $31::text[], $32::text[], $33::bigint[], $34::bigint[], "
      + "$35::int[]) AS u(plan_id, blob_id, run_on, source_store, bytes, at, priority)) "
      + "SELECT 1";

  /** A durable copy to record. */
  public record NewCopy(String blobId, String storeId, String path, String sha256, String md5, long at) {}

  /**
   * Records durable copies as healthy (a re-copy onto a node that held a bad one heals it), in one
   * statement over arrays.
   */
  public Future<Void> putCopies(List<NewCopy> copies) {
    return pool.preparedQuery("INSERT INTO blob_copies (blob_id, store_id, path, sha256, md5, state, created_at, "
            + "verified_at) SELECT u.blob_id, u.store_id, u.path, u.sha256, u.md5, 'healthy', u.at, u.at FROM "
            + "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u(blob_id, "
            + "store_id, path, sha256, md5, at) ON CONFLICT (blob_id, store_id) DO UPDATE "
            + "SET path = EXCLUDED.path, sha256 = EXCLUDED.sha256, md5 = EXCLUDED.md5, state = 'healthy', "
            + "created_at = EXCLUDED.created_at, verified_at = EXCLUDED.verified_at")
        .execute(Tuple.tuple()
            .addArrayOfString(copies.stream().map(NewCopy::blobId).toArray(String[]::new))
            .addArrayOfString(copies.stream().map(NewCopy::storeId).toArray(String[]::new))
            .addArrayOfString(copies.stream().map(NewCopy::path).toArray(String[]::new))
            .addArrayOfString(copies.stream().map(NewCopy::sha256).toArray(String[]::new))
            .addArrayOfString(copies.stream().map(NewCopy::md5).toArray(String[]::new))
            .addArrayOfLong(copies.stream().map(NewCopy::at).toArray(Long[]::new)))
        .mapEmpty();
  }

  public Future<Void> putCopy(String blobId, String storeId, String path, String sha256, String md5, long now) {
    return putCopies(List.of(new NewCopy(blobId, storeId, path, sha256, md5, now)));
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

  /**
   * Content of store $1 due for a scrub, at most $3: that of the copies verified longest ago, before
   * $2. The copies are read oldest first through the (store, state, verified_at) index and only as
   * many as the answer needs: a content's copies on a node are verified together, and the first of
   * its copies met is its oldest, so the contents of the first rows are the contents due first.
   * Grouping all of a node's copies to find them read every copy each minute: with 300,000 copies,
   * about a second of PostgreSQL per node, in front of every upload meanwhile (issue 18).
   */
  static final String DUE_FOR_SCRUB = "SELECT sha256, md5 FROM (SELECT sha256, md5, verified_at FROM blob_copies "
      + "WHERE store_id = $1 AND state = 'healthy' AND verified_at < $2 ORDER BY verified_at LIMIT $3) oldest "
      + "GROUP BY sha256, md5 ORDER BY min(verified_at) LIMIT $3";

  /** Content on the node due for a scrub: healthy copies verified longest ago, before {@code before}. */
  public Future<List<Due>> dueForScrub(String storeId, long before, int limit) {
    return pool.preparedQuery(DUE_FOR_SCRUB)
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
