package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.placement.StoreLoad;
import tributary.storage.tasks.SealKey;
import tributary.store.ClusterSecrets;

/**
 * Runs one task item on the storage node it was planned for (S3, S6, S7) and says how it
 * ended. Mirror pulls the blob from a healthy copy elsewhere; recycle drops this node's copy;
 * protect, compress and transcode work on the local copy (checked first) and store their output
 * as a new blob that names its source and is then replicated like any other.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  /** The secret that signed timestamp seals before {@link SealKey}: old seals still verify with it. */
  public static final String SEAL_SECRET = "timestamp-seal";
  /** The cluster's Ed25519 key pair that signs timestamp seals. */
  public static final String SEAL_KEY = "timestamp-seal-ed25519";

  /** The cluster's seal key, made by the first node that asks. */
  public static Future<SealKey> sealKey(Pool pool) {
    return ClusterSecrets.madeOnce(pool, SEAL_KEY, () -> SealKey.create().toBytes()).map(SealKey::fromBytes);
  }

  private final Vertx vertx;
  private final Pool pool;
  private final BlobCatalog catalog;
  private final StorageNodes nodes;
  private final StorageClient client;
  private final NodeConfig config;
  private final BlobRecorder recorder;
  private final BlobCollector collector;

  public TaskRunner(Vertx vertx, Pool pool, StorageClient client, NodeConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = new BlobCatalog(pool);
    this.nodes = new StorageNodes(pool);
    this.client = client;
    this.config = config;
    this.recorder = new BlobRecorder(vertx, pool, config.storage().room());
    this.collector = new BlobCollector(vertx, catalog);
  }

  /** How an item ended. */
  record Outcome(String state, String error, String output) {
    static Outcome done(String output) {
      return new Outcome(TaskStore.DONE, null, output);
    }
  }

  /** Runs the item; the returned future always succeeds, with how it ended (recorded by the caller). */
  Future<Outcome> run(TaskStore.Item item, String storeId, LocalBlobStore disk) {
    Future<Outcome> outcome = catalog.blob(item.blobId()).compose(blob -> {
      if (blob == null) {
        return Future.succeededFuture(new Outcome(TaskStore.FAILED, "no such blob", null));
      }
      if (!"live".equals(blob.state()) && item.kind() != TaskKind.RECYCLE) {
        return Future.succeededFuture(new Outcome(TaskStore.FAILED, "blob was deleted", null));
      }
      return switch (item.kind()) {
        case MIRROR -> mirror(blob, item, storeId, disk);
        case RECYCLE -> recycle(blob, storeId, disk);
        case PROTECT, COMPRESS, TRANSCODE -> process(blob, item, storeId, disk);
      };
    });
    return outcome.recover(e -> Future.succeededFuture(new Outcome(TaskStore.FAILED, String.valueOf(e.getMessage()),
            null)))
        .onSuccess(o -> LOG.info("task item {} [item: {}, plan: {}, blob: {}, node: {}{}]", o.state(), item.itemId(),
            item.planId(), item.blobId(), storeId, o.error() == null ? "" : ", error: " + o.error()));
  }

  // ---- mirror

  private Future<Outcome> mirror(BlobCatalog.Blob blob, TaskStore.Item item, String storeId, LocalBlobStore disk) {
    // content already here (another blob's) is claimed before it is checked, so no collection
    // takes it meanwhile; a bad file is left for the copy below to replace, never deleted here
    Future<Boolean> present = vertx.executeBlocking(() -> {
      if (!disk.claim(blob.sha256())) {
        return false;
      }
      try {
        disk.verify(blob.sha256(), RateLimit.NONE);
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    }, false);
    return present.compose(here -> {
      if (here) {
        return catalog.putCopy(blob.blobId(), storeId, disk.place(blob.sha256()), blob.sha256(),
            blob.md5(), System.currentTimeMillis()).map(v -> Outcome.done(null));
      }
      return catalog.copies(blob.blobId()).compose(copies -> {
        List<StoreLoad> sources = copies.stream()
            .filter(c -> c.readable() && !c.storeId().equals(storeId))
            .sorted(Comparator.comparing(c -> !c.storeId().equals(item.sourceStore())))
            .map(BlobCatalog.Copy::store)
            .toList();
        return copyFrom(blob, sources, 0, disk);
      }).compose(stored -> catalog.putCopy(blob.blobId(), storeId, stored.path(), stored.sha256(), stored.md5(),
          System.currentTimeMillis()).map(v -> Outcome.done(null)));
    });
  }

  private Future<LocalBlobStore.Stored> copyFrom(BlobCatalog.Blob blob, List<StoreLoad> sources, int index,
                                                 LocalBlobStore disk) {
    if (index >= sources.size()) {
      return Future.failedFuture("no readable copy to mirror from");
    }
    StoreLoad source = sources.get(index);
    return BlobSink.open(vertx, disk).compose(sink -> client.read(source, blob.sha256(), 0, blob.size())
        .compose(copy -> copy.bytes().pipe().endOnFailure(false).to(sink))
        .compose(v -> sink.stored())
        .compose(stored -> stored.sha256().equals(blob.sha256()) ? Future.succeededFuture(stored)
            : Future.failedFuture("copy from " + source.storeId() + " hashed to " + stored.sha256()))
        .recover(e -> {
          sink.abort();
          LOG.info("mirror source failed [blob: {}, source: {}, cause: {}]", blob.blobId(), source.storeId(),
              e.getMessage());
          return copyFrom(blob, sources, index + 1, disk);
        }));
  }

  // ---- recycle

  /** Drops this node's copy; its file goes only if nothing else references it (see {@link BlobCollector}). */
  private Future<Outcome> recycle(BlobCatalog.Blob blob, String storeId, LocalBlobStore disk) {
    return catalog.dropCopy(blob.blobId(), storeId, "recycled", System.currentTimeMillis())
        .compose(v -> collector.collect(storeId, disk, List.of(blob.sha256())))
        .map(removed -> Outcome.done(null));
  }

  // ---- protect, compress, transcode

  private Future<Outcome> process(BlobCatalog.Blob blob, TaskStore.Item item, String storeId, LocalBlobStore disk) {
    JsonObject params = item.params() == null ? new JsonObject() : item.params();
    Future<SealKey> sealKey = item.kind() == TaskKind.PROTECT && "timestamp".equals(params.getString("mode"))
        ? sealKey(pool) : Future.succeededFuture(null);
    return sealKey.compose(key -> vertx.<TaskSteps.Product>executeBlocking(() -> {
      if (!disk.has(blob.sha256())) {
        throw new IllegalStateException("no copy of the blob on " + storeId);
      }
      disk.verify(blob.sha256(), RateLimit.NONE);
      try (LocalBlobStore.Local in = disk.local(blob.sha256())) {
        return TaskSteps.step(item.kind(), params, blob.kind(), in.path(), disk.temporaryFile(), storeId, key,
            System.currentTimeMillis());
      }
    }, false)).compose(product -> {
      if (product.unsupported() != null) {
        return Future.succeededFuture(new Outcome(TaskStore.UNSUPPORTED, product.unsupported(), null));
      }
      return vertx.executeBlocking(() -> {
        try {
          return disk.put(product.file());
        } finally {
          Files.deleteIfExists(product.file());
        }
      }, false).compose(stored -> storeDerived(blob, product, stored, storeId));
    });
  }

  private Future<Outcome> storeDerived(BlobCatalog.Blob source, TaskSteps.Product product, LocalBlobStore.Stored stored,
                                       String storeId) {
    String id = Ids.newId();
    BlobCatalog.Blob derived = new BlobCatalog.Blob(id, stored.sha256(), stored.md5(), stored.size(),
        product.kind() == null ? source.kind() : product.kind(),
        (source.name() == null ? source.blobId() : source.name()) + product.suffix(),
        product.contentType() == null ? source.contentType() : product.contentType(), source.owner(), source.copies(),
        List.of(), source.blobId(), product.derivedBy(), config.nodeId(), config.site(), "live",
        System.currentTimeMillis(), source.priority());
    StoreLoad here = StoreLoad.unmeasured(storeId, config.nodeId(), config.site());
    return nodes.liveStores().compose(live -> recorder.record(derived, Map.of(here, stored), Map.of(), new ArrayList<>(live),
        "task", "derived")).map(v -> Outcome.done(id));
  }
}
