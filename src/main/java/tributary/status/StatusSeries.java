package tributary.status;

/**
 * The bounded time series management keeps per node (D8): reports older than the retention are
 * dropped (a node's own on each of its reports, every node's on a sweep), and a read returns at
 * most {@link #MAX_POINTS} of the newest reports from its start.
 */
public final class StatusSeries {
  /** Reports answered by one series read at most: an hour at one report a second. */
  public static final int MAX_POINTS = 3600;
  private static final long MIN_SWEEP_MS = 1000;

  private StatusSeries() {}

  /** Reports made before this are dropped. */
  public static long cutoff(long now, long retentionMs) {
    return now - retentionMs;
  }

  /** Where a read starts: at {@code since}, but never before what is kept. */
  public static long from(long since, long now, long retentionMs) {
    return Math.max(since, cutoff(now, retentionMs));
  }

  /** How often the sweep for nodes that stopped reporting runs: a sixtieth of the retention, at least a second. */
  public static long sweepEveryMs(long retentionMs) {
    return Math.max(MIN_SWEEP_MS, retentionMs / 60);
  }
}
