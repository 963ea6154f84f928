package tributary.cache;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/** Cache lifetime per channel (Q5) and what the cleaner needs to know to trim. */
public final class ChannelCacheSettings {
  private final Pool pool;

  public ChannelCacheSettings(Pool pool) {
    this.pool = pool;
  }

  /** A channel's TTL, whether it adapts to reads, and whether the channel is cached at all. */
  public record Setting(long ttlMs, boolean adaptive, boolean cached) {
    /** A cached channel's setting. */
    public Setting(long ttlMs, boolean adaptive) {
      this(ttlMs, adaptive, true);
    }
  }

  /**
   * @param minKeepCursor first cursor committed within the TTL, -1 when all records are older
   * @param lastCursor the channel's newest cursor
   * @param lastWriteAt commit time of the newest record, epoch ms
   */
  public record TrimPoint(long minKeepCursor, long lastCursor, long lastWriteAt) {}

  public Future<Map<String, Setting>> all() {
    return pool.query("SELECT channel, ttl_ms, adaptive, cached FROM channel_cache_settings").execute()
        .map(rows -> {
      Map<String, Setting> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getString(0), new Setting(r.getLong(1), r.getBoolean(2), r.getBoolean(3)));
      }
      return out;
    });
  }

  public Future<Setting> get(String channel) {
    return pool.preparedQuery("SELECT ttl_ms, adaptive, cached FROM channel_cache_settings WHERE channel = $1")
        .execute(Tuple.of(channel))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Setting(r.getLong(0), r.getBoolean(1), r.getBoolean(2));
        });
  }

  /** Whether the channel's records go into Redis: false only when set so. */
  public Future<Boolean> cached(String channel) {
    return get(channel).map(s -> s == null || s.cached());
  }

  public Future<Void> put(String channel, Setting s, long now) {
    return pool.preparedQuery("INSERT INTO channel_cache_settings (channel, ttl_ms, adaptive, cached, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel) DO UPDATE SET ttl_ms = EXCLUDED.ttl_ms, "
            + "adaptive = EXCLUDED.adaptive, cached = EXCLUDED.cached, updated_at = EXCLUDED.updated_at")
        .execute(Tuple.of(channel, s.ttlMs(), s.adaptive(), s.cached(), now))
        .mapEmpty();
  }

  /** For each channel and its TTL, where trimming stops, in one query for all of them. */
  public Future<Map<String, TrimPoint>> trimPoints(Map<String, Long> ttlByChannel, long now) {
    if (ttlByChannel.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String[] channels = ttlByChannel.keySet().toArray(String[]::new);
    Long[] cutoffs = new Long[channels.length];
    for (int i = 0; i < channels.length; i++) {
      cutoffs[i] = now - ttlByChannel.get(channels[i]);
    }
    return pool.preparedQuery("SELECT t.ch, (SELECT min(r.cursor) FROM records r WHERE r.channel = t.ch "
            + "AND r.committed_at >= t.cutoff), c.last_cursor, (SELECT r.committed_at FROM records r "
            + "WHERE r.channel = t.ch ORDER BY r.cursor DESC LIMIT 1) "
            + "FROM unnest($1::text[], $2::bigint[]) AS t(ch, cutoff) JOIN channels c ON c.channel = t.ch")
        .execute(Tuple.tuple().addArrayOfString(channels).addArrayOfLong(cutoffs))
        .map(rows -> {
          Map<String, TrimPoint> out = new HashMap<>();
          for (Row r : rows) {
            Long keep = r.getLong(1);
            Long lastWrite = r.getLong(3);
            out.put(r.getString(0), new TrimPoint(keep == null ? -1 : keep, r.getLong(2),
                lastWrite == null ? 0 : lastWrite));
          }
          return out;
        });
  }
}
