package tributary.storage;

/**
 * A byte-rate limit for background work such as scrubbing (S5), so that re-hashing never takes
 * the disk from uploads and reads. Blocks the calling worker; never use it on an event loop.
 */
public final class RateLimit {
  public static final RateLimit NONE = new RateLimit(0);

  private final long bytesPerSecond;
  private long windowStart = System.nanoTime();
  private long bytesInWindow;

  /** {@code bytesPerSecond <= 0} means no limit. */
  public RateLimit(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  public synchronized void acquire(long bytes) {
    if (bytesPerSecond <= 0) {
      return;
    }
    bytesInWindow += bytes;
    long dueNanos = bytesInWindow * 1_000_000_000L / bytesPerSecond;
    long waitNanos = dueNanos - (System.nanoTime() - windowStart);
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (System.nanoTime() - windowStart > 1_000_000_000L) {
      windowStart = System.nanoTime();
      bytesInWindow = 0;
    }
  }
}
