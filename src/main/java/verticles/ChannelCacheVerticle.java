package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.ChannelAppend;
import tributary.cache.ChannelCache;
import tributary.cache.RedisClients;
import tributary.config.NodeConfig;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;

/** Channel cache (Q1): writes committed records into their channel's Redis stream. */
public class ChannelCacheVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelCacheVerticle.class);

  private Redis redis;
  private ChannelCache cache;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    redis = RedisClients.create(vertx, config);
    cache = new ChannelCache(redis, config.redisPrefix());
    return vertx.eventBus().<ChannelAppend>consumer(Addresses.CACHE_APPEND, this::append).completion();
  }

  private void append(Message<ChannelAppend> message) {
    ChannelAppend append = message.body();
    cache.append(append.channel(), append.records())
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
