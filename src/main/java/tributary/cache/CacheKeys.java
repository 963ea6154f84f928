package tributary.cache;

import tributary.dispatch.UserQueues;

/**
 * Every Redis key the cluster writes, under its configured prefix. Each key carries a hash tag, so
 * that on a Redis Cluster the keys one command or batch touches share a slot: a channel's (or a
 * user's queue's) stream is alone in its tag, and the cleaner's hashes share one.
 */
public final class CacheKeys {
  private static final String CHANNEL = "ch:{";
  private static final String CLEANER = "cache:{cleaner}:";
  private final String prefix;

  public CacheKeys(String prefix) {
    this.prefix = prefix;
  }

  /** The channel's stream (Q1). */
  public String channel(String channel) {
    return prefix + CHANNEL + channel + "}";
  }

  /** A user's dispatch queue (D5): the stream of its queue channel. */
  public String userQueue(String userId) {
    return channel(UserQueues.channel(userId));
  }

  /** Every key of this cluster, for clearing all of it (never another prefix's keys). */
  public String everything() {
    return prefix + "*";
  }

  public String channelPattern() {
    return prefix + CHANNEL + "*";
  }

  /** The channel named by a stream key, or null for another key. */
  public String channelOf(String key) {
    String start = prefix + CHANNEL;
    return key.startsWith(start) && key.endsWith("}") ? key.substring(start.length(), key.length() - 1) : null;
  }

  /** Reads per channel since the cleaner last looked (hash). */
  public String readCounts() {
    return prefix + CLEANER + "reads";
  }

  /** Each channel's read rate per minute (hash). */
  public String readRates() {
    return prefix + CLEANER + "rate";
  }

  /** When each channel was last read, epoch ms (hash). */
  public String lastReads() {
    return prefix + CLEANER + "lastread";
  }

  /** Each channel's effective TTL as the cleaner last worked it out (hash). */
  public String effectiveTtls() {
    return prefix + CLEANER + "ttl";
  }

  /** Held by the node cleaning this period. */
  public String cleanerLease() {
    return prefix + CLEANER + "lease";
  }
}
