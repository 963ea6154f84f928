package tributary.storage;

import tributary.fault.Backoff;

/**
 * When to try again to repair a blob whose mirror items keep failing (S4): at once the first time,
 * then after 1 s, 2 s, 4 s ... up to {@link #MAX_DELAY_MS}, so that a blob no node can take (a
 * full disk, a broken target) costs a few tries an hour instead of one every sweep.
 */
public final class RepairBackoff {
  static final long BASE_DELAY_MS = 1_000;
  public static final long MAX_DELAY_MS = 5 * 60_000;
  private static final Backoff SCHEDULE = new Backoff(BASE_DELAY_MS, MAX_DELAY_MS);

  private RepairBackoff() {}

  /** Whether a blob with {@code failures} recent failed items, the last at {@code lastFailureAt}, is due. */
  public static boolean due(int failures, long lastFailureAt, long now) {
    if (failures <= 0) {
      return true;
    }
    return now - lastFailureAt >= SCHEDULE.delayMs(failures);
  }
}
