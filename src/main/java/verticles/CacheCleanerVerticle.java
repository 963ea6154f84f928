package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cache.AdaptiveTtl;
import tributary.cache.CacheKeys;
import tributary.cache.ChannelCacheSettings;
import tributary.cache.CleanerStore;
import tributary.cache.CleaningRound;
import tributary.cache.KeyScan;
import tributary.cache.RedisClients;
import tributary.cache.TrimDecision;
import tributary.config.NodeConfig;
import tributary.store.Pg;

/**
 * The TTL cleaner (Q5): every cleaning period it folds the read counts the nodes reported into
 * each channel's read rate, works out each cached channel's effective TTL (adaptive where asked),
 * trims stream entries older than it (XTRIM MINID by cursor) and drops the keys of idle channels
 * and of channels switched out of the cache.
 * One cleaner works per period across the cluster (a Redis lease); readers fill whatever is
 * trimmed from PostgreSQL.
 */
public class CacheCleanerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CacheCleanerVerticle.class);

  private NodeConfig config;
  private Redis redis;
  private CleanerStore store;
  private ChannelCacheSettings settings;
  private AdaptiveTtl ttl;
  private boolean cleaning;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    NodeControl.onReload(vertx, config.nodeId(), reloaded -> config = reloaded);
    redis = RedisClients.create(vertx, config);
    store = new CleanerStore(redis, new CacheKeys(config.redisPrefix()), new KeyScan(vertx, redis, config));
    Pool pool = Pg.pool(vertx, config);
    settings = new ChannelCacheSettings(pool);
    ttl = new AdaptiveTtl(config.cacheTtlMinMs(), config.cacheTtlMaxMs(), config.cacheReferenceReadsPerMinute());
    vertx.setPeriodic(config.cacheCleanPeriodMs(), t -> clean());
    return Future.succeededFuture();
  }

  private void clean() {
    if (cleaning) {
      return;
    }
    cleaning = true;
    long now = System.currentTimeMillis();
    store.takeLease(config.nodeId(), config.cacheCleanPeriodMs() - 50)
        .compose(taken -> taken ? round(now) : Future.succeededFuture())
        .onFailure(e -> LOG.warn("cache cleaning failed: {}", e.getMessage()))
        .onComplete(ar -> cleaning = false);
  }

  /** One cleaning round over every cached channel. */
  private Future<Void> round(long now) {
    CleaningRound round = new CleaningRound(ttl, config.cacheCleanPeriodMs(),
        new ChannelCacheSettings.Setting(config.cacheTtlMs(), config.cacheAdaptive()), config.cacheIdleMs());
    return Future.all(store.takeReadCounts(), store.readRates(), store.lastReads(), store.cachedChannels(),
            settings.all())
        .compose(all -> {
          Map<String, String> lastReads = all.resultAt(2);
          List<Future<?>> drops = new ArrayList<>();
          for (String channel : round.switchedOff(all.resultAt(3), all.resultAt(4))) {
            drops.add(store.drop(channel).onSuccess(v -> LOG.info(
                "stream of a channel switched out of the cache dropped [channel: {}]", channel)));
          }
          Map<String, CleaningRound.ChannelTtl> ttls = round.ttls(all.resultAt(3), all.resultAt(0), all.resultAt(1),
              all.resultAt(4));
          Map<String, Long> effective = new HashMap<>();
          ttls.forEach((channel, t) -> effective.put(channel, t.ttlMs()));
          return store.saveTtls(ttls).compose(v -> settings.trimPoints(effective, now))
              .compose(points -> trim(round, points, lastReads, now))
              .compose(v -> Future.join(drops).mapEmpty());
        });
  }

  private Future<Void> trim(CleaningRound round, Map<String, ChannelCacheSettings.TrimPoint> points,
      Map<String, String> lastReads, long now) {
    List<Future<?>> work = new ArrayList<>();
    points.forEach((channel, p) -> work.add(store.firstCachedCursor(channel).compose(first -> {
      if (first < 0) {
        return Future.succeededFuture();
      }
      TrimDecision d = round.trim(now, channel, lastReads, p, first);
      return switch (d.action()) {
        case DROP -> store.drop(channel).onSuccess(r -> LOG.info(
            "idle channel dropped from the cache [channel: {}]", channel));
        case TRIM -> store.trim(channel, d.minKeepCursor()).onSuccess(trimmed -> LOG.debug(
            "cache trimmed [channel: {}, entries: {}, from cursor: {}]", channel, trimmed, d.minKeepCursor())).mapEmpty();
        case KEEP -> Future.succeededFuture();
      };
    })));
    return Future.join(work).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
