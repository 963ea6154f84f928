package tributary.storage;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;

/**
 * A copy that fails its hash or is gone (S5): every blob's copy sharing the file on that node is
 * marked deleted with the reason ({@link CopyVerdict}), management is told so it plans a repair,
 * and the node removes the file through {@link BlobCollector}, which keeps it while any copy there
 * still references it or once a good copy has replaced it. The transfer server and the scrubber
 * both report here.
 */
public final class BadCopies {
  private static final Logger LOG = LoggerFactory.getLogger(BadCopies.class);
  private final Vertx vertx;
  private final BlobCatalog catalog;
  private final BlobCollector collector;

  public BadCopies(Vertx vertx, BlobCatalog catalog, BlobCollector collector) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.collector = collector;
  }

  public void report(StorageNode node, String sha256, String reason) {
    LOG.warn("bad copy deleted [sha256: {}, node: {}, reason: {}]", sha256, node.id(), reason);
    catalog.markBad(node.id(), sha256, reason, System.currentTimeMillis())
        .onSuccess(v -> vertx.eventBus().publish(Addresses.STORAGE_CHANGED, null))
        .compose(v -> collector.discardBad(node.id(), node.disk(), sha256))
        .onSuccess(removed -> {
          if (removed) {
            LOG.info("bad copy's file removed [sha256: {}, node: {}]", sha256, node.id());
          }
        })
        .onFailure(e -> LOG.warn("could not delete a bad copy [sha256: {}, node: {}]", sha256, node.id(), e));
  }
}
