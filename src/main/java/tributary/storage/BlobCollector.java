package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a storage node removes blob files (S1, S5, S6): recycle, bad copies, the leftover
 * sweep and any other clean-up all come here. Blobs with equal content share one file per node, so a file goes only
 * when the catalog knows no copy of any blob that references it on that node, and no bytes landed
 * under its address after the last copy of it there was recorded: those may belong to an upload
 * whose two copies are durable but not yet recorded, and wait for the sweep, which takes them once
 * they are {@link #UNRECORDED_GRACE_MS} old and still unreferenced. The file's time is the storage
 * node's clock and a copy's record time the recording node's; a node whose clock runs ahead keeps
 * files for the sweep instead of collecting them at once, never the other way round unless the
 * recording clock runs ahead by more than the gap between two uploads of the same content.
 */
public final class BlobCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
  /** How long bytes that landed but were never recorded are kept before they count as leftovers. */
  public static final long UNRECORDED_GRACE_MS = 10 * 60_000;

  private final Vertx vertx;
  private final BlobCatalog catalog;

  public BlobCollector(Vertx vertx, BlobCatalog catalog) {
    this.vertx = vertx;
    this.catalog = catalog;
  }

  /** Removes the files of the given contents that may go from the node's disk; answers those removed. */
  public Future<List<String>> collect(String storeId, LocalBlobStore disk, List<String> sha256s) {
    if (sha256s.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long unrecordedBefore = System.currentTimeMillis() - UNRECORDED_GRACE_MS;
    return catalog.unreferenced(storeId, sha256s).compose(unreferenced -> vertx.executeBlocking(() -> {
      List<String> removed = new ArrayList<>();
      for (BlobCatalog.Unreferenced u : unreferenced) {
        if (disk.collect(u.sha256(), Math.max(u.lastRecordedAt(), unrecordedBefore))) {
          removed.add(u.sha256());
        }
      }
      return removed;
    }, false));
  }

  /**
   * Removes a bad file (S5) once no copy on the node references it any more, and only if it still
   * fails its check: a good copy that replaced it meanwhile stays. Answers whether it went.
   */
  public Future<Boolean> discardBad(String storeId, LocalBlobStore disk, String sha256) {
    return catalog.unreferenced(storeId, List.of(sha256)).compose(unreferenced -> unreferenced.isEmpty()
        ? Future.succeededFuture(false)
        : vertx.executeBlocking(() -> disk.discardIfCorrupt(sha256), false));
  }

  /**
   * Removes what no placement knows from the node's disk: partial files of uploads that died with
   * their node, and blobs whose upload never got recorded. Only files older than
   * {@link #UNRECORDED_GRACE_MS} are touched, so an upload still being recorded is never taken for
   * one; blob files go through {@link #collect}, which removes none that a copy references.
   */
  public void sweepLeftovers(StorageNode node) {
    long before = System.currentTimeMillis() - UNRECORDED_GRACE_MS;
    vertx.executeBlocking(() -> node.disk().leftovers(before), false)
        .compose(found -> {
          for (Path partial : found.partial()) {
            vertx.executeBlocking(() -> Files.deleteIfExists(partial), false);
          }
          return collect(node.id(), node.disk(), found.blobs());
        })
        .onSuccess(removed -> removed.forEach(sha256 ->
            LOG.info("leftover blob removed [sha256: {}, node: {}]", sha256, node.id())))
        .onFailure(e -> LOG.warn("leftover sweep failed [node: {}]", node.id(), e));
  }
}
