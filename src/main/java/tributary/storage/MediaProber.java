package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.storage.tasks.MediaProbe;

/**
 * Measures the duration of the video and audio blobs a storage node holds (S2), with ffprobe on a
 * worker, and keeps it with the blob: the load score's work term counts the hours of media waiting
 * for transcoding. Each blob is taken by one node and measured once; a node without ffprobe takes
 * none, leaving them to nodes that have it. One run per node at a time, a few blobs per run.
 */
public final class MediaProber {
  private static final Logger LOG = LoggerFactory.getLogger(MediaProber.class);
  static final int BATCH = 4;

  private final Vertx vertx;
  private final BlobCatalog catalog;
  private final Optional<Path> ffprobe;
  private final Set<String> probing = new HashSet<>();

  public MediaProber(Vertx vertx, BlobCatalog catalog, Optional<Path> ffprobe) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.ffprobe = ffprobe;
  }

  public void probe(StorageNode node) {
    if (ffprobe.isEmpty() || !probing.add(node.id())) {
      return;
    }
    catalog.takeUnmeasured(node.id(), BATCH, System.currentTimeMillis())
        .compose(blobs -> Future.join(blobs.stream().map(b -> measure(node, b)).toList()).map(v -> blobs.size()))
        .onComplete(ar -> {
          probing.remove(node.id());
          if (ar.failed()) {
            LOG.debug("media probe failed [node: {}, cause: {}]", node.id(), ar.cause().getMessage());
          } else if (ar.result() == BATCH) {
            probe(node);
          }
        });
  }

  private Future<Void> measure(StorageNode node, BlobCatalog.Unmeasured blob) {
    return vertx.executeBlocking(() -> {
          if (!node.disk().has(blob.sha256())) {
            return OptionalDouble.empty();
          }
          // A small blob lives in a volume: ffprobe reads it from a copy the store makes.
          try (LocalBlobStore.Local in = node.disk().local(blob.sha256())) {
            return MediaProbe.seconds(ffprobe.get(), in.path(), MediaProbe.DEFAULT_TIMEOUT);
          }
        }, false)
        .compose(seconds -> {
          if (seconds.isEmpty()) {
            LOG.info("media duration unknown [blob: {}, node: {}]", blob.blobId(), node.id());
            return Future.succeededFuture();
          }
          LOG.info("media duration measured [blob: {}, node: {}, seconds: {}]", blob.blobId(), node.id(),
              seconds.getAsDouble());
          return catalog.measured(blob.blobId(), seconds.getAsDouble());
        });
  }
}
