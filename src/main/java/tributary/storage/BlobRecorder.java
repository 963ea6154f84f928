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
import tributary.placement.DiskRoom;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;

/**
 * Records a new blob with the copies it already has and plans the mirror items that bring it to
 * its copy count (S3), all in one statement: a blob is never known without its plan to reach
 * full strength. The chosen nodes are told at once.
 */
public final class BlobRecorder {
  private final Vertx vertx;
  private final BlobCatalog catalog;
  private final DiskRoom room;
  private final Random random = new Random();

  public BlobRecorder(Vertx vertx, Pool pool, DiskRoom room) {
    this.vertx = vertx;
    this.catalog = new BlobCatalog(pool);
    this.room = room;
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
        : new Placement(random, room).choose(blob.mirrors(), live, copies.keySet(), missing, blob.size());
    String source = copies.keySet().iterator().next().storeId();
    List<String> stores = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    copies.forEach((node, stored) -> {
      stores.add(node.storeId());
      paths.add(stored.path());
    });
    return catalog.insertWithCopies(blob, stores, paths, "mirror-" + Ids.newId(), new JsonObject().put("reason", reason),
            createdBy, targets.stream().map(StoreLoad::storeId).toList(), source, now)
        .onSuccess(v -> targets.forEach(t -> vertx.eventBus().publish(Addresses.storageTasks(t.storeId()), null)));
  }
}
