package tributary.storage;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;

/**
 * A copy that fails its hash or is gone (S5): every blob sharing it is marked, management is told
 * so it plans a repair, and the file is removed if it still fails (a good copy may have replaced
 * it meanwhile). The transfer server and the scrubber both report here.
 */
public final class BadCopies {
  private static final Logger LOG = LoggerFactory.getLogger(BadCopies.class);
  private final Vertx vertx;
  private final BlobCatalog catalog;

  public BadCopies(Vertx vertx, BlobCatalog catalog) {
    this.vertx = vertx;
    this.catalog = catalog;
  }

  public void report(StorageNode node, String sha256, String why) {
    LOG.warn("bad copy [sha256: {}, node: {}, cause: {}]", sha256, node.id(), why);
    catalog.markCorrupt(node.id(), sha256)
        .onSuccess(v -> vertx.eventBus().publish(Addresses.STORAGE_CHANGED, null))
        .compose(v -> vertx.executeBlocking(() -> node.disk().discardIfCorrupt(sha256), false))
        .onFailure(e -> LOG.warn("could not mark a bad copy [sha256: {}, node: {}]", sha256, node.id(), e));
  }
}
