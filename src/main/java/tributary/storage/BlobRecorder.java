package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.placement.DiskRoom;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;

/**
 * Records a new blob with the copies it already has and plans the mirror items that bring it to
 * its copy count (S3), all in one statement, shared with the other blobs recorded meanwhile: a blob is never known without its plan to reach
 * full strength, but for copies still landing from the upload's own stream, which are recorded
 * as they land (a failed one gets its mirror item then). The chosen nodes are told at once.
 */
public final class BlobRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(BlobRecorder.class);

  private final Vertx vertx;
  private final BlobCatalog catalog;
  private final TaskStore tasks;
  /**
   * New blobs recorded together: one statement for the uploads that finish while one is written,
   * shared by the recorders of one node's HTTP loops ({@link Shared}).
   */
  private final Grouped<Recording> groups;
  /** Copies that followed in their upload's stream, recorded together likewise. */
  private final Grouped<BlobCatalog.NewCopy> followers;
  private static final int GROUP_LIMIT = 256;
  private final DiskRoom room;
  private final Random random = new Random();

  /** A new blob and the catalog of the recorder that takes it, which writes its group. */
  private record Recording(BlobCatalog catalog, BlobCatalog.NewBlob blob) {}

  /**
   * One group of new blobs for several recorders, so that a node's HTTP loops write one statement
   * where each wrote its own: under 16 concurrent small uploads on two loops, PostgreSQL's CPU per
   * blob fell by about a third. A group is written through the pool of a recorder whose blob is
   * in it: a loop's pool closes with its verticle (a restart, D9), so the group holds none itself.
   */
  public static final class Shared {
    private final Grouped<Recording> groups = new Grouped<>(GROUP_LIMIT,
        items -> items.get(0).catalog().insertAll(items.stream().map(Recording::blob).toList()));
  }

  public BlobRecorder(Vertx vertx, Pool pool, DiskRoom room) {
    this(vertx, pool, room, new Shared());
  }

  public BlobRecorder(Vertx vertx, Pool pool, DiskRoom room, Shared shared) {
    this.vertx = vertx;
    this.catalog = new BlobCatalog(pool);
    this.tasks = new TaskStore(pool);
    this.groups = shared.groups;
    this.followers = new Grouped<>(GROUP_LIMIT, catalog::putCopies);
    this.room = room;
  }

  /**
   * Records {@code blob} with its durable {@code copies} (node to what it stored) and plans the
   * rest on {@code live} nodes, but for the copies still {@code following} the same stream: one
   * that landed already is recorded with the blob, each other once it lands, or handed to a
   * mirror task when it fails.
   */
  public Future<Void> record(BlobCatalog.Blob blob,
      Map<StoreLoad, LocalBlobStore.Stored> copies, Map<StoreLoad, Future<LocalBlobStore.Stored>> following,
      List<StoreLoad> live, String createdBy, String reason) {
    Map<StoreLoad, LocalBlobStore.Stored> recorded = new LinkedHashMap<>(copies);
    Map<StoreLoad, Future<LocalBlobStore.Stored>> pending = new LinkedHashMap<>();
    following.forEach((node, landed) -> {
      if (landed.succeeded() && landed.result().sha256().equals(blob.sha256())) {
        recorded.put(node, landed.result());
      } else {
        pending.put(node, landed);
      }
    });
    int missing = blob.copies() - recorded.size() - pending.size();
    List<StoreLoad> holders = new ArrayList<>(recorded.keySet());
    holders.addAll(pending.keySet());
    List<StoreLoad> targets = missing <= 0 ? List.of()
        : new Placement(random, room).choose(blob.mirrors(), live, holders, missing, blob.size());
    String source = copies.keySet().iterator().next().storeId();
    List<String> stores = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    recorded.forEach((node, stored) -> {
      stores.add(node.storeId());
      paths.add(stored.path());
    });
    // a group written by another loop completes there: a promise of the caller's context hands the
    // outcome over to it (at once when it completes there already)
    Promise<Void> recordedHere = ((ContextInternal) vertx.getOrCreateContext()).promise();
    groups.add(new Recording(catalog, new BlobCatalog.NewBlob(blob, stores, paths, "mirror-" + Ids.newId(),
            new JsonObject().put("reason", reason), createdBy, targets.stream().map(StoreLoad::storeId).toList(),
            source)))
        .onComplete(recordedHere);
    return recordedHere.future()
        .onSuccess(v -> {
          targets.forEach(t -> vertx.eventBus().publish(Addresses.storageTasks(t.storeId()), null));
          pending.forEach((node, landed) -> follow(blob, node, landed, source, createdBy));
        });
  }

  /** Records a copy that followed the acknowledged ones, or plans a mirror item in its place. */
  private void follow(BlobCatalog.Blob blob, StoreLoad node, Future<LocalBlobStore.Stored> landed, String source,
                      String createdBy) {
    landed.compose(stored -> stored.sha256().equals(blob.sha256())
            ? followers.add(new BlobCatalog.NewCopy(blob.blobId(), node.storeId(), stored.path(), stored.sha256(),
                stored.md5(), System.currentTimeMillis()))
            : Future.failedFuture("the copy on " + node.storeId() + " hashed to " + stored.sha256()))
        .recover(e -> {
          LOG.info("a following copy failed, mirrored instead [blob: {}, node: {}, cause: {}]", blob.blobId(),
              node.storeId(), e.getMessage());
          return tasks.plan("mirror-" + Ids.newId(), TaskKind.MIRROR, blob.blobId(),
                  new JsonObject().put("reason", "replicate"), createdBy, System.currentTimeMillis(),
                  TaskStore.Window.OPEN, List.of(new TaskStore.Planned(TaskKind.MIRROR, blob.blobId(), node.storeId(), source, blob.size())))
              .onSuccess(v -> vertx.eventBus().publish(Addresses.storageTasks(node.storeId()), null));
        })
        .onFailure(e -> LOG.warn("a following copy was neither recorded nor planned; repair will make it [blob: {}, "
            + "node: {}, cause: {}]", blob.blobId(), node.storeId(), e.getMessage()));
  }
}
