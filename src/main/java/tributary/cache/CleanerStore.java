package tributary.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache cleaner's Redis work (Q5): its lease, the read counts and rates the nodes keep, the
 * cached channels and their streams' first entries, and the trims and drops it decides.
 */
public final class CleanerStore {
  private final Redis redis;
  private final CacheKeys keys;
  private final KeyScan scan;

  public CleanerStore(Redis redis, CacheKeys keys, KeyScan scan) {
    this.redis = redis;
    this.keys = keys;
    this.scan = scan;
  }

  /** Takes the cluster's cleaner lease for {@code ms} unless another node holds it; true when taken. */
  public Future<Boolean> takeLease(String nodeId, long ms) {
    return redis.send(Request.cmd(Command.SET).arg(keys.cleanerLease()).arg(nodeId).arg("NX").arg("PX").arg(ms))
        .map(lease -> lease != null);
  }

  /**
   * Takes the read counts the nodes added since the last round, atomically (RENAME, then read; both
   * names share a hash tag, as RENAME on a Redis Cluster needs).
   */
  public Future<Map<String, String>> takeReadCounts() {
    String taken = keys.readCounts() + ":taken";
    return redis.send(Request.cmd(Command.RENAME).arg(keys.readCounts()).arg(taken))
        .compose(ok -> hash(taken).compose(counts -> redis.send(Request.cmd(Command.DEL).arg(taken)).map(counts)))
        .otherwise(e -> Map.of());
  }

  public Future<Map<String, String>> readRates() {
    return hash(keys.readRates());
  }

  public Future<Map<String, String>> lastReads() {
    return hash(keys.lastReads());
  }

  /** Saves each channel's read rate and effective TTL, in one write. */
  public Future<Void> saveTtls(Map<String, CleaningRound.ChannelTtl> ttls) {
    List<Request> updates = new ArrayList<>();
    ttls.forEach((channel, t) -> {
      updates.add(Request.cmd(Command.HSET).arg(keys.readRates()).arg(channel).arg(Double.toString(t.readRate())));
      updates.add(Request.cmd(Command.HSET).arg(keys.effectiveTtls()).arg(channel).arg(t.ttlMs()));
    });
    return updates.isEmpty() ? Future.succeededFuture() : redis.batch(updates).mapEmpty();
  }

  /** The cursor of the channel's first cached entry, or -1 when nothing of it is cached. */
  public Future<Long> firstCachedCursor(String channel) {
    return redis.send(Request.cmd(Command.XRANGE).arg(keys.channel(channel)).arg("-").arg("+").arg("COUNT").arg(1))
        .map(r -> r == null || r.size() == 0 ? -1L : ChannelCache.cursorOf(r.get(0).get(0).toString()));
  }

  /** Drops the channel's stream. */
  public Future<Void> drop(String channel) {
    return redis.send(Request.cmd(Command.DEL).arg(keys.channel(channel))).mapEmpty();
  }

  /** Removes the channel's entries before {@code minKeepCursor}; answers how many went. */
  public Future<Long> trim(String channel, long minKeepCursor) {
    return redis.send(Request.cmd(Command.XTRIM).arg(keys.channel(channel)).arg("MINID").arg(minKeepCursor + "-0"))
        .map(Response::toLong);
  }

  /** The channels that have a stream in the cache, found by scanning their keys (all masters of a Redis Cluster). */
  public Future<List<String>> cachedChannels() {
    List<String> out = new ArrayList<>();
    return scan.forEachPage(keys.channelPattern(), page -> {
      for (String key : page) {
        String channel = keys.channelOf(key);
        if (channel != null) {
          out.add(channel);
        }
      }
      return Future.succeededFuture();
    }).map(out);
  }

  private Future<Map<String, String>> hash(String key) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(CleanerStore::toMap);
  }

  private static Map<String, String> toMap(Response r) {
    Map<String, String> out = new HashMap<>();
    if (r == null) {
      return out;
    }
    if (r.isMap()) {
      r.getKeys().forEach(k -> out.put(k, r.get(k).toString()));
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        out.put(r.get(i).toString(), r.get(i + 1).toString());
      }
    }
    return out;
  }
}
