package tributary.cache;

import java.util.HashMap;
import java.util.Map;

/**
 * Q5: an open live stream reads its channel all the time it is open, though it asks only once.
 * Counting it once, at connect, made a channel watched live look idle and shrink its TTL; here
 * each open stream counts as one read per second it stays open, carried over in milliseconds so
 * that short periods add up. Plain and confined to one event loop.
 */
public final class LiveReads {
  private final Map<String, Long> carriedMillis = new HashMap<>();
  private long lastMs;

  public LiveReads(long nowMs) {
    this.lastMs = nowMs;
  }

  /** The reads the open streams made since the last call: whole reads per channel, the rest kept. */
  public Map<String, Long> take(Map<String, Integer> openStreams, long nowMs) {
    long elapsed = Math.max(0, nowMs - lastMs);
    lastMs = nowMs;
    Map<String, Long> reads = new HashMap<>();
    carriedMillis.keySet().retainAll(openStreams.keySet());
    openStreams.forEach((channel, streams) -> {
      long millis = carriedMillis.getOrDefault(channel, 0L) + (long) streams * elapsed;
      if (millis >= 1000) {
        reads.put(channel, millis / 1000);
      }
      carriedMillis.put(channel, millis % 1000);
    });
    return reads;
  }
}
