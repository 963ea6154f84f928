package tributary.cache;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import tributary.config.NodeConfig;

/**
 * Redis clients as the node's configuration asks for them: every command is bounded by
 * redis-timeout-ms (see {@link TimedRedis}).
 */
public final class RedisClients {
  private RedisClients() {}

  public static Redis create(Vertx vertx, NodeConfig config) {
    return new TimedRedis(Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(config.redisUrlOrFail())
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(10_000)
        .setMaxWaitingHandlers(100_000)), config.redisTimeoutMs());
  }
}
