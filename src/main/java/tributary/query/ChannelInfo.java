package tributary.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import tributary.cache.CacheKeys;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCacheSettings;
import tributary.store.RecordStore;

/**
 * Q5: what is known of a channel: its length, whether it is cached at all, what its cache holds (entries, first and last
 * cursor), its TTL as set and as the cleaner applies it, and its read rate. A cache that cannot be
 * reached is reported as unavailable, not as a failure.
 */
public final class ChannelInfo {
  private final Redis redis;
  private final CacheKeys keys;
  private final RecordStore records;
  private final ChannelCacheSettings settings;

  public ChannelInfo(Redis redis, CacheKeys keys, RecordStore records, ChannelCacheSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.records = records;
    this.settings = settings;
  }

  /** The channel's state; {@code defaults} is the cache setting of a channel that has none of its own. */
  public Future<JsonObject> of(String channel, ChannelCacheSettings.Setting defaults) {
    String key = keys.channel(channel);
    Future<Long> head = records.head(channel);
    // Two batches, one per hash tag: a batch on a Redis Cluster goes to one server.
    Future<List<Response>> stream = redis.batch(List.of(
        Request.cmd(Command.XLEN).arg(key),
        Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+").arg("COUNT").arg(1),
        Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(1)));
    Future<List<Response>> cleaner = redis.batch(List.of(
        Request.cmd(Command.HGET).arg(keys.effectiveTtls()).arg(channel),
        Request.cmd(Command.HGET).arg(keys.readRates()).arg(channel)));
    Future<List<Response>> cached = Future.all(stream, cleaner).<List<Response>>map(both -> {
      List<Response> all = new ArrayList<>(stream.result());
      all.addAll(cleaner.result());
      return all;
    }).otherwise(e -> null);
    return Future.all(head, settings.get(channel), cached).map(all -> {
      ChannelCacheSettings.Setting set = all.resultAt(1) != null ? all.resultAt(1) : defaults;
      JsonObject cache = new JsonObject().put("cached", set.cached()).put("ttlMs", set.ttlMs())
          .put("adaptive", set.adaptive());
      List<Response> r = all.resultAt(2);
      if (r != null) {
        cache.put("entries", r.get(0).toLong()).put("firstCursor", streamCursor(r.get(1)))
            .put("lastCursor", streamCursor(r.get(2)))
            .put("effectiveTtlMs", r.get(3) == null ? set.ttlMs() : r.get(3).toLong())
            .put("readsPerMinute", r.get(4) == null ? 0.0 : Double.parseDouble(r.get(4).toString()));
      } else {
        cache.put("available", false);
      }
      return new JsonObject().put("channel", channel).put("length", all.<Long>resultAt(0)).put("cache", cache);
    });
  }

  private static Long streamCursor(Response range) {
    if (range == null || range.size() == 0) {
      return null;
    }
    String id = range.get(0).get(0).toString();
    return ChannelCache.cursorOf(id);
  }
}
