package tributary.fault;

/**
 * Capped exponential backoff: the wait after the n-th failure in a row (n from 1) is
 * {@code base * 2^(n-1)}, never more than {@code cap}.
 */
public record Backoff(long baseMs, long capMs) {
  public Backoff {
    if (baseMs < 1 || capMs < baseMs) {
      throw new IllegalArgumentException("backoff needs 1 <= base <= cap");
    }
  }

  public long delayMs(int failures) {
    if (failures < 1) {
      return 0;
    }
    int shift = failures - 1;
    // A shift that would carry the top bit out can only exceed the cap.
    return shift >= Long.numberOfLeadingZeros(baseMs) - 1 ? capMs : Math.min(baseMs << shift, capMs);
  }
}
