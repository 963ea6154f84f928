package tributary.cache;

/**
 * Q5: how long a channel's records stay in its Redis stream. With the adaptive mode the base TTL
 * is scaled by how often the channel is read, relative to a reference rate: a channel read ten
 * times as often keeps its records ten times as long, an idle one only the minimum, always within
 * [min, max].
 */
public record AdaptiveTtl(long minMs, long maxMs, double referenceReadsPerMinute) {
  public AdaptiveTtl {
    if (minMs <= 0 || maxMs < minMs || referenceReadsPerMinute <= 0) {
      throw new IllegalArgumentException("need 0 < min <= max and a positive reference rate");
    }
  }

  public long effective(long baseMs, boolean adaptive, double readsPerMinute) {
    if (!adaptive) {
      return baseMs;
    }
    double scaled = baseMs * (readsPerMinute / referenceReadsPerMinute);
    return Math.max(minMs, Math.min(maxMs, Math.round(scaled)));
  }

  /**
   * The read rate carried forward one cleaning period: an exponential moving average, so one busy
   * minute does not hold a channel's TTL up for long. {@code weight} is the new sample's share.
   */
  public static double nextRate(double previous, long readsInPeriod, long periodMs, double weight) {
    double sample = readsInPeriod * 60_000.0 / periodMs;
    return previous < 0 ? sample : previous + weight * (sample - previous);
  }
}
