package tributary.cli;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream that has been silent for longer than its limit. A node sends an event or a
 * heartbeat comment at least every sse-heartbeat-ms, so a longer silence means a connection that
 * died without closing (a half-open TCP connection, a stalled proxy), on which a blocked read would
 * never return; closing the stream makes that read fail at once.
 */
final class IdleWatch implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final long limitNanos;
  private final Closeable stream;
  private volatile long heardNanos = System.nanoTime();
  private volatile boolean expired;
  private boolean closed;
  private ScheduledFuture<?> check;

  IdleWatch(ScheduledExecutorService timer, Duration limit, Closeable stream) {
    this.timer = timer;
    this.limitNanos = limit.toNanos();
    this.stream = stream;
    schedule(limitNanos);
  }

  /** Something arrived: the silence starts again. */
  void heard() {
    heardNanos = System.nanoTime();
  }

  /** Whether the stream was closed for its silence. */
  boolean expired() {
    return expired;
  }

  private synchronized void schedule(long delayNanos) {
    if (!closed) {
      check = timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Rechecks when the limit would be reached since the last thing heard, not on a fixed tick. */
  private void check() {
    long silent = System.nanoTime() - heardNanos;
    if (silent < limitNanos) {
      schedule(limitNanos - silent);
      return;
    }
    expired = true;
    try {
      stream.close();
    } catch (IOException e) {
      // closing is all that matters: the blocked read fails either way
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (check != null) {
      check.cancel(false);
    }
  }
}
