package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-hashes each copy once a scrub period, at the node's scrub rate (S5), with MD5 and SHA-256
 * against the catalog (the seed's check): a copy that verifies is recorded as verified now; one
 * that does not is reported as a bad copy with the reason {@link CopyVerdict} gives. One pass at a time per
 * node; each pass takes the copies most overdue, a few at a time, and the next pass follows at
 * once while passes come back full.
 */
public final class Scrubber {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
  static final int COPIES_PER_PASS = 16;

  private final Vertx vertx;
  private final BlobCatalog catalog;
  private final BadCopies badCopies;
  private final long periodMs;
  private final Set<String> scrubbing = new HashSet<>();

  public Scrubber(Vertx vertx, BlobCatalog catalog, BadCopies badCopies, long periodMs) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.badCopies = badCopies;
    this.periodMs = periodMs;
  }

  /** How often to look for copies due: a quarter period, between 100 ms and a minute. */
  public static long checkEveryMs(long periodMs) {
    return Math.max(100, Math.min(periodMs / 4, 60_000));
  }

  /** One pass over the node's copies due for it; nothing while the node's last pass still runs. */
  public void scrub(StorageNode node) {
    if (!scrubbing.add(node.id())) {
      return;
    }
    long now = System.currentTimeMillis();
    int[] taken = {0};
    catalog.dueForScrub(node.id(), now - periodMs, COPIES_PER_PASS)
        .compose(due -> {
          taken[0] = due.size();
          Future<Void> chain = Future.succeededFuture();
          for (BlobCatalog.Due copy : due) {
            chain = chain.compose(v -> vertx.executeBlocking(() -> CopyVerdict.of(copy.sha256(), copy.md5(),
                node.disk().scan(copy.sha256(), node.scrubLimit())), false).transform(ar -> {
              CopyVerdict verdict = ar.succeeded() ? ar.result() : CopyVerdict.deleted(
                  ar.cause() instanceof NoSuchFileException ? CopyVerdict.MISSING
                      : "unreadable: " + ar.cause().getMessage());
              if (verdict.healthy()) {
                return catalog.verified(node.id(), copy.sha256(), System.currentTimeMillis());
              }
              badCopies.report(node, copy.sha256(), verdict.reason());
              return Future.succeededFuture();
            }));
          }
          return chain;
        })
        .onComplete(ar -> {
          scrubbing.remove(node.id());
          if (ar.failed()) {
            LOG.debug("scrub pass failed [node: {}, cause: {}]", node.id(), ar.cause().getMessage());
          } else if (taken[0] == COPIES_PER_PASS) {
            // More may be due: go on now, paced by the node's scrub rate. Waiting for the next
            // check would cap a node at 64 copies a period, and one holding more would never
            // catch up (the fault suite's flipped byte waited over a minute behind hundreds).
            vertx.runOnContext(v -> scrub(node));
          }
        });
  }
}
