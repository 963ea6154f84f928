package tributary.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of one cleaning round (Q5): each cached channel's read rate, folded from the
 * reads the nodes counted this period into the previous rate, and its effective TTL (adaptive
 * where the channel asks for it); then, per channel, whether to keep, trim or drop its stream.
 * Plain: the cleaner reads and writes Redis through {@link CleanerStore}.
 */
public final class CleaningRound {
  /** The new period's share of a channel's read rate. */
  static final double RATE_WEIGHT = 0.5;

  private final AdaptiveTtl ttl;
  private final long periodMs;
  private final ChannelCacheSettings.Setting defaults;
  private final long idleMs;

  /**
   * @param defaults the TTL of a channel with no setting of its own
   * @param idleMs how long a channel neither read nor written keeps its stream
   */
  public CleaningRound(AdaptiveTtl ttl, long periodMs, ChannelCacheSettings.Setting defaults, long idleMs) {
    this.ttl = ttl;
    this.periodMs = periodMs;
    this.defaults = defaults;
    this.idleMs = idleMs;
  }

  /**
   * The channels with a stream that are switched out of the cache: their streams go whole (an
   * append that raced the switch on a node that missed its announcement may have left one).
   */
  public List<String> switchedOff(List<String> channels, Map<String, ChannelCacheSettings.Setting> settings) {
    return channels.stream().filter(c -> !settings.getOrDefault(c, defaults).cached()).toList();
  }

  /** A channel's read rate after this round and the TTL it gives. */
  public record ChannelTtl(double readRate, long ttlMs) {}

  /**
   * @param reads reads per channel counted this period (absent: none)
   * @param rates read rates per channel after the last round (absent: a new channel)
   * @param settings the channels' own settings (absent: the defaults); channels switched out of
   *     the cache get no TTL, see {@link #switchedOff}
   */
  public Map<String, ChannelTtl> ttls(List<String> channels, Map<String, String> reads, Map<String, String> rates,
      Map<String, ChannelCacheSettings.Setting> settings) {
    Map<String, ChannelTtl> out = new LinkedHashMap<>();
    for (String channel : channels) {
      if (!settings.getOrDefault(channel, defaults).cached()) {
        continue;
      }
      double previous = rates.containsKey(channel) ? Double.parseDouble(rates.get(channel)) : -1;
      long count = reads.containsKey(channel) ? Long.parseLong(reads.get(channel)) : 0;
      double rate = AdaptiveTtl.nextRate(previous, count, periodMs, RATE_WEIGHT);
      ChannelCacheSettings.Setting s = settings.getOrDefault(channel, defaults);
      out.put(channel, new ChannelTtl(rate, ttl.effective(s.ttlMs(), s.adaptive(), rate)));
    }
    return out;
  }

  /**
   * What to do with a channel's stream whose first cached entry is {@code firstCachedCursor}.
   *
   * @param lastReads when each channel was last read (absent: never)
   */
  public TrimDecision trim(long now, String channel, Map<String, String> lastReads, ChannelCacheSettings.TrimPoint p,
      long firstCachedCursor) {
    long lastRead = lastReads.containsKey(channel) ? Long.parseLong(lastReads.get(channel)) : 0;
    return TrimDecision.decide(now, idleMs, lastRead, p.lastWriteAt(), firstCachedCursor, p.minKeepCursor(),
        p.lastCursor());
  }
}
