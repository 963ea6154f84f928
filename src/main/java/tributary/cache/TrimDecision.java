package tributary.cache;

/**
 * What the cleaner does with one channel's stream (Q5): drop the key of a channel idle for longer
 * than the idle limit (neither read nor written), otherwise trim entries older than the TTL.
 *
 * @param minKeepCursor the first cursor committed within the TTL, or -1 when every record is older
 */
public record TrimDecision(Action action, long minKeepCursor) {
  public enum Action { KEEP, TRIM, DROP }

  public static TrimDecision decide(long now, long idleMs, long lastReadAt, long lastWriteAt, long firstCachedCursor,
      long minKeepCursor, long lastCursor) {
    if (now - Math.max(lastReadAt, lastWriteAt) > idleMs) {
      return new TrimDecision(Action.DROP, -1);
    }
    long keepFrom = minKeepCursor < 0 ? lastCursor + 1 : minKeepCursor;
    if (keepFrom > firstCachedCursor) {
      return new TrimDecision(Action.TRIM, keepFrom);
    }
    return new TrimDecision(Action.KEEP, firstCachedCursor);
  }
}
