package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes that arrive while one is under way go together in the next (group commit, like the
 * volumes' fsync): one statement carries the catalog rows of many concurrent small uploads. Each
 * caller's future completes with its group's write; a failed write fails its group only.
 */
public final class Grouped<T> {
  private record Waiting<T>(T item, Promise<Void> done) {}

  private final int maxGroup;
  private final Function<List<T>, Future<Void>> write;
  private final List<Waiting<T>> waiting = new ArrayList<>();
  private boolean writing;

  public Grouped(int maxGroup, Function<List<T>, Future<Void>> write) {
    this.maxGroup = maxGroup;
    this.write = write;
  }

  public Future<Void> add(T item) {
    Promise<Void> done = Promise.promise();
    boolean start;
    synchronized (this) {
      waiting.add(new Waiting<>(item, done));
      start = !writing;
      writing = true;
    }
    if (start) {
      next();
    }
    return done.future();
  }

  private void next() {
    List<Waiting<T>> group;
    synchronized (this) {
      if (waiting.isEmpty()) {
        writing = false;
        return;
      }
      List<Waiting<T>> taken = waiting.subList(0, Math.min(maxGroup, waiting.size()));
      group = List.copyOf(taken);
      taken.clear();
    }
    Future<Void> written;
    try {
      written = write.apply(group.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(ar -> {
      group.forEach(w -> w.done().handle(ar));
      next();
    });
  }
}
