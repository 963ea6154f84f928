package tributary.storage;

import io.vertx.core.Future;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Writes that arrive while one is under way go together in the next (group commit, like the
 * volumes' fsync): one statement carries the catalog rows of many concurrent small uploads. Each
 * caller's future completes with its group's write; a failed write fails its group only.
 */
public final class Grouped<T> {
  private final Batches<T, Void> batches;

  public Grouped(int maxGroup, Function<List<T>, Future<Void>> write) {
    this.batches = new Batches<>(maxGroup, Long.MAX_VALUE,
        items -> write.apply(items).map(v -> Collections.<Void>nCopies(items.size(), null)));
  }

  public Future<Void> add(T item) {
    return batches.add(item, 0);
  }
}
