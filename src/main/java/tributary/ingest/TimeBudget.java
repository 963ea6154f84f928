package tributary.ingest;

/**
 * How long a hop of the ingest path waits for a batch's acknowledgement: the configured forward
 * timeout plus an allowance per record, so a long batch is not given up on (and answered as
 * failed) while core is still committing it.
 */
public final class TimeBudget {
  /** Per record: a commit stores well over 5,000 records a second even on a loaded machine. */
  static final double MS_PER_RECORD = 0.2;

  private TimeBudget() {}

  /** The forward timeout for a batch of {@code records} records. */
  public static long forwardTimeoutMs(long baseMs, int records) {
    return baseMs + (long) Math.ceil(Math.max(0, records) * MS_PER_RECORD);
  }
}
