package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.store.BlobCatalog;
import tributary.store.TaskStore;

/**
 * Records a new blob with the copies it already has and plans the mirror items that bring it to
 * its copy count (S3), all in one transaction: a blob is never known without its plan to reach
 * full strength. The chosen nodes are told at once.
 */
public final class BlobRecorder {
  private final Vertx vertx;
  private final Pool pool;
  private final Random random = new Random();

  public BlobRecorder(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * Records {@code blob} with its durable {@code copies} (node to what it stored) and plans the
   * rest on {@code live} nodes.
   */
  public Future<Void> record(BlobCatalog.Blob blob, Map<StoreLoad, LocalBlobStore.Stored> copies,
                             List<StoreLoad> live, String createdBy, String reason) {
    long now = System.currentTimeMillis();
    int missing = blob.copies() - copies.size();
    List<StoreLoad> targets = missing <= 0 ? List.of()
        : new Placement(random).choose(blob.mirrors(), live, copies.keySet(), missing);
    String source = copies.keySet().iterator().next().storeId();
    List<TaskStore.Planned> items = new ArrayList<>();
    for (StoreLoad target : targets) {
      items.add(new TaskStore.Planned(TaskKind.MIRROR, blob.blobId(), target.storeId(), source, blob.size()));
    }
    return pool.withTransaction(tx -> {
      Future<Void> chain = BlobCatalog.insertBlob(tx, blob);
      for (Map.Entry<StoreLoad, LocalBlobStore.Stored> c : copies.entrySet()) {
        LocalBlobStore.Stored s = c.getValue();
        chain = chain.compose(v -> BlobCatalog.putCopy(tx, blob.blobId(), c.getKey().storeId(), s.path(), s.sha256(),
            s.md5(), now));
      }
      return items.isEmpty() ? chain : chain.compose(v -> TaskStore.plan(tx, "mirror-" + Ids.newId(),
          TaskKind.MIRROR, blob.blobId(), new JsonObject().put("reason", reason), createdBy, now, items));
    }).onSuccess(v -> targets.forEach(t -> vertx.eventBus().publish(Addresses.storageTasks(t.storeId()), null)));
  }
}
