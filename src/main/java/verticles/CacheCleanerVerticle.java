package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cache.AdaptiveTtl;
import tributary.cache.CacheKeys;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCacheSettings;
import tributary.cache.RedisClients;
import tributary.cache.TrimDecision;
import tributary.config.NodeConfig;
import tributary.store.Pg;

/**
 * The TTL cleaner (Q5): every cleaning period it folds the read counts the nodes reported into
 * each channel's read rate, works out each cached channel's effective TTL (adaptive where asked),
 * trims stream entries older than it (XTRIM MINID by cursor) and drops the keys of idle channels.
 * One cleaner works per period across the cluster (a Redis lease); readers fill whatever is
 * trimmed from PostgreSQL.
 */
public class CacheCleanerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CacheCleanerVerticle.class);
  /** The new period's share of a channel's read rate. */
  private static final double RATE_WEIGHT = 0.5;

  private NodeConfig config;
  private Redis redis;
  private CacheKeys keys;
  private ChannelCacheSettings settings;
  private AdaptiveTtl ttl;
  private boolean cleaning;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    NodeControl.onReload(vertx, config.nodeId(), reloaded -> config = reloaded);
    redis = RedisClients.create(vertx, config);
    keys = new CacheKeys(config.redisPrefix());
    Pool pool = Pg.pool(vertx, config);
    settings = new ChannelCacheSettings(pool);
    ttl = new AdaptiveTtl(config.cacheTtlMinMs(), config.cacheTtlMaxMs(), 1.0);
    vertx.setPeriodic(config.cacheCleanPeriodMs(), t -> clean());
    return Future.succeededFuture();
  }

  private void clean() {
    if (cleaning) {
      return;
    }
    cleaning = true;
    long now = System.currentTimeMillis();
    redis.send(Request.cmd(Command.SET).arg(keys.cleanerLease()).arg(config.nodeId()).arg("NX").arg("PX")
            .arg(config.cacheCleanPeriodMs() - 50))
        .compose(lease -> lease == null ? Future.succeededFuture() : round(now))
        .onFailure(e -> LOG.warn("cache cleaning failed: {}", e.getMessage()))
        .onComplete(ar -> cleaning = false);
  }

  /** One cleaning round over every cached channel. */
  private Future<Void> round(long now) {
    return Future.all(takeReadCounts(), hash(keys.readRates()), hash(keys.lastReads()), cachedChannels(),
            settings.all())
        .compose(all -> {
          Map<String, String> counts = all.resultAt(0);
          Map<String, String> rates = all.resultAt(1);
          Map<String, String> lastReads = all.resultAt(2);
          List<String> channels = all.resultAt(3);
          Map<String, ChannelCacheSettings.Setting> set = all.resultAt(4);
          List<Request> updates = new ArrayList<>();
          Map<String, Long> effective = new HashMap<>();
          for (String channel : channels) {
            double previous = rates.containsKey(channel) ? Double.parseDouble(rates.get(channel)) : -1;
            long reads = counts.containsKey(channel) ? Long.parseLong(counts.get(channel)) : 0;
            double rate = AdaptiveTtl.nextRate(previous, reads, config.cacheCleanPeriodMs(), RATE_WEIGHT);
            ChannelCacheSettings.Setting s = set.getOrDefault(channel,
                new ChannelCacheSettings.Setting(config.cacheTtlMs(), config.cacheAdaptive()));
            long ttlMs = ttl.effective(s.ttlMs(), s.adaptive(), rate);
            effective.put(channel, ttlMs);
            updates.add(Request.cmd(Command.HSET).arg(keys.readRates()).arg(channel).arg(Double.toString(rate)));
            updates.add(Request.cmd(Command.HSET).arg(keys.effectiveTtls()).arg(channel).arg(ttlMs));
          }
          Future<?> saved = updates.isEmpty() ? Future.succeededFuture() : redis.batch(updates);
          return saved.compose(v -> settings.trimPoints(effective, now))
              .compose(points -> trim(points, lastReads, now));
        });
  }

  private Future<Void> trim(Map<String, ChannelCacheSettings.TrimPoint> points, Map<String, String> lastReads,
      long now) {
    List<Future<?>> work = new ArrayList<>();
    points.forEach((channel, p) -> {
      long lastRead = lastReads.containsKey(channel) ? Long.parseLong(lastReads.get(channel)) : 0;
      String key = keys.channel(channel);
      work.add(firstCachedCursor(key).compose(first -> {
        if (first < 0) {
          return Future.succeededFuture();
        }
        TrimDecision d = TrimDecision.decide(now, config.cacheIdleMs(), lastRead, p.lastWriteAt(), first,
            p.minKeepCursor(), p.lastCursor());
        return switch (d.action()) {
          case DROP -> redis.send(Request.cmd(Command.DEL).arg(key)).onSuccess(r -> LOG.info(
              "idle channel dropped from the cache [channel: {}]", channel));
          case TRIM -> redis.send(Request.cmd(Command.XTRIM).arg(key).arg("MINID").arg(d.minKeepCursor() + "-0"))
              .onSuccess(r -> LOG.debug("cache trimmed [channel: {}, entries: {}, from cursor: {}]", channel,
                  r.toLong(), d.minKeepCursor()));
          case KEEP -> Future.succeededFuture();
        };
      }));
    });
    return Future.join(work).mapEmpty();
  }

  private Future<Long> firstCachedCursor(String key) {
    return redis.send(Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+").arg("COUNT").arg(1)).map(r -> {
      if (r == null || r.size() == 0) {
        return -1L;
      }
      String id = r.get(0).get(0).toString();
      return ChannelCache.cursorOf(id);
    });
  }

  /** Takes the read counts the nodes added since the last round, atomically (RENAME, then read). */
  private Future<Map<String, String>> takeReadCounts() {
    String taken = keys.readCounts() + ":taken";
    return redis.send(Request.cmd(Command.RENAME).arg(keys.readCounts()).arg(taken))
        .compose(ok -> hash(taken).compose(counts -> redis.send(Request.cmd(Command.DEL).arg(taken)).map(counts)))
        .otherwise(e -> Map.of());
  }

  private Future<Map<String, String>> hash(String key) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(CacheCleanerVerticle::toMap);
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

  /** The channels that have a stream in the cache, found by scanning their keys. */
  private Future<List<String>> cachedChannels() {
    List<String> out = new ArrayList<>();
    return scan("0", out).map(out);
  }

  private Future<Void> scan(String cursor, List<String> out) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.channelPattern()).arg("COUNT")
            .arg(1000))
        .compose(page -> {
          for (Response key : page.get(1)) {
            String channel = keys.channelOf(key.toString());
            if (channel != null) {
              out.add(channel);
            }
          }
          String next = page.get(0).toString();
          return next.equals("0") ? Future.succeededFuture() : scan(next, out);
        });
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
