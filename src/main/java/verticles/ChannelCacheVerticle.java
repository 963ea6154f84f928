package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.CacheSwitched;
import tributary.bus.ChannelAppend;
import tributary.cache.CacheGate;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCacheSettings;
import tributary.cache.RedisClients;
import tributary.config.NodeConfig;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.store.Pg;

/**
 * Channel cache (Q1): writes committed records into their channel's Redis stream, unless the
 * channel is switched out of the cache (issue 15); a switch announced on
 * {@link Addresses#CACHE_SWITCHED} applies at once, and a switched-off channel's stream is dropped.
 */
public class ChannelCacheVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelCacheVerticle.class);

  private Redis redis;
  private ChannelCache cache;
  private CacheGate gate;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    redis = RedisClients.create(vertx, config);
    cache = new ChannelCache(redis, config.redisPrefix());
    ChannelCacheSettings settings = new ChannelCacheSettings(Pg.pool(vertx, config));
    gate = new CacheGate(settings::cached, CacheGate.KEEP_MS);
    return Future.join(
        vertx.eventBus().<CacheSwitched>consumer(Addresses.CACHE_SWITCHED, this::switched).completion(),
        vertx.eventBus().<ChannelAppend>consumer(Addresses.CACHE_APPEND, this::append).completion());
  }

  private void switched(Message<CacheSwitched> message) {
    CacheSwitched s = message.body();
    gate.switched(s.channel(), s.cached(), System.currentTimeMillis(), () -> cache.drop(s.channel()))
        .onSuccess(v -> LOG.info("cache switched [channel: {}, cached: {}]", s.channel(), s.cached()))
        .onFailure(e -> LOG.warn("cache switch: stream not dropped, the cleaner will [channel: {}, cause: {}]",
            s.channel(), e.getMessage()));
  }

  private void append(Message<ChannelAppend> message) {
    ChannelAppend append = message.body();
    gate.append(append.channel(), System.currentTimeMillis(), () -> cache.append(append.channel(), append.records()))
        .onSuccess(v -> message.reply(null))
        .onFailure(e -> {
          LOG.warn("redis append failed [channel: {}, first cursor: {}, cause: {}]", append.channel(),
              append.records().get(0).cursor(), e.getMessage());
          BusFailures.fail(message, Refusal.of(503, "cache unavailable: " + e.getMessage()));
        });
  }

  @Override
  public Future<?> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
