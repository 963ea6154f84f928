package tributary.cli;

import java.io.IOException;

/**
 * How long to wait before trying a request again: the node's Retry-After on 429/503, else a
 * backoff that doubles from {@link #FIRST_MS} to {@link #MAX_MS} (a lost connection).
 */
final class Retry {
  static final long FIRST_MS = 250;
  static final long MAX_MS = 10_000;

  private Retry() {}

  /** The wait before attempt {@code attempt + 1} after this failure, or -1 when it is final. */
  static long delayMs(IOException failure, int attempt) {
    if (failure instanceof NodeClient.Refused refused) {
      if (!refused.retriable()) {
        return -1;
      }
      return refused.retryAfterSeconds.map(s -> Math.min(60_000, s * 1000)).orElse(backoff(attempt));
    }
    return backoff(attempt);
  }

  static long backoff(int attempt) {
    return Math.min(MAX_MS, FIRST_MS << Math.min(20, Math.max(0, attempt - 1)));
  }

  static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
