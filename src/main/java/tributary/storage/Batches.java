package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit with an answer per member: items that arrive while one batch is being sent go
 * together in the next, at most {@code maxCount} of them and {@code maxBytes} between them (the
 * first always goes). Nothing waits when idle: an item that finds no batch under way is sent at
 * once. Each member's future completes from its own place in the batch's answer; a batch that fails
 * as a whole fails its members only.
 */
public final class Batches<T, R> {
  private record Waiting<T, R>(T item, long bytes, Promise<R> done) {}

  private final int maxCount;
  private final long maxBytes;
  private final Function<List<T>, Future<List<R>>> send;
  private final List<Waiting<T, R>> waiting = new ArrayList<>();
  private boolean sending;

  public Batches(int maxCount, long maxBytes, Function<List<T>, Future<List<R>>> send) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
    this.send = send;
  }

  /** Adds an item weighing {@code bytes}; completes with its answer once its batch has been sent. */
  public Future<R> add(T item, long bytes) {
    Promise<R> done = Promise.promise();
    boolean start;
    synchronized (this) {
      waiting.add(new Waiting<>(item, bytes, done));
      start = !sending;
      sending = true;
    }
    if (start) {
      next();
    }
    return done.future();
  }

  private void next() {
    List<Waiting<T, R>> batch;
    synchronized (this) {
      if (waiting.isEmpty()) {
        sending = false;
        return;
      }
      int taken = 1;
      long bytes = waiting.get(0).bytes();
      while (taken < Math.min(maxCount, waiting.size()) && bytes + waiting.get(taken).bytes() <= maxBytes) {
        bytes += waiting.get(taken++).bytes();
      }
      List<Waiting<T, R>> head = waiting.subList(0, taken);
      batch = List.copyOf(head);
      head.clear();
    }
    Future<List<R>> sent;
    try {
      sent = send.apply(batch.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> {
      if (ar.succeeded() && ar.result().size() == batch.size()) {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).done().complete(ar.result().get(i));
        }
      } else {
        Throwable cause = ar.failed() ? ar.cause()
            : new IllegalStateException(ar.result().size() + " answers for a batch of " + batch.size());
        batch.forEach(w -> w.done().fail(cause));
      }
      next();
    });
  }
}
