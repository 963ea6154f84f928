package tributary.query;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Bounds the store reads that streams behind their channel's tail make at once on a node, so a
 * crowd catching up queues for the store instead of taking every PostgreSQL connection and Redis's
 * time from the live path (writers' commits, the tails' fills). Reads run in the order they asked.
 * Plain and confined to one event loop.
 */
public final class CatchUpGate {
  private final int max;
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  private int running;

  public CatchUpGate(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("at least one read at a time");
    }
    this.max = max;
  }

  /** Runs {@code read} once fewer than the maximum run; its outcome is the answer. */
  public <T> Future<T> submit(Supplier<Future<T>> read) {
    Promise<T> answer = Promise.promise();
    Runnable start = () -> {
      running++;
      Future<T> started;
      try {
        started = read.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(ar -> {
        running--;
        Runnable next = queued.poll();
        if (next != null) {
          next.run();
        }
        answer.handle(ar);
      });
    };
    if (running < max) {
      start.run();
    } else {
      queued.add(start);
    }
    return answer.future();
  }

  public int queued() {
    return queued.size();
  }
}
