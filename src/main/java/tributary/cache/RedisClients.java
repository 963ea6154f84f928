package tributary.cache;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.net.URI;
import tributary.config.NodeConfig;

/**
 * Redis clients as the node's configuration asks for them (one server, a Redis Cluster, or the
 * master named by Sentinels): every command is bounded by redis-timeout-ms (see {@link TimedRedis}).
 */
public final class RedisClients {
  private RedisClients() {}

  public static Redis create(Vertx vertx, NodeConfig config) {
    return new TimedRedis(Redis.createClient(vertx, options(config)), config.redisTimeoutMs());
  }

  /** The client's options for the configured mode. */
  static RedisOptions options(NodeConfig config) {
    RedisOptions options = pooled();
    switch (config.redisMode()) {
      case STANDALONE -> options.setConnectionString(config.redisUrls().get(0));
      case CLUSTER -> {
        // Cursor reads must see the newest entries, which a replica may not have yet.
        options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
        config.redisUrls().forEach(options::addConnectionString);
      }
      case SENTINEL -> {
        options.setType(RedisClientType.SENTINEL).setMasterName(config.redisMasterName().orElseThrow())
            .setRole(RedisRole.MASTER).setAutoFailover(true);
        config.redisUrls().forEach(options::addConnectionString);
      }
    }
    return options;
  }

  /**
   * A client of one server of the node's Redis, such as one master of a Redis Cluster, reached with
   * the scheme and credentials of the first configured URL.
   */
  static Redis createForServer(Vertx vertx, NodeConfig config, String host, int port) {
    return new TimedRedis(Redis.createClient(vertx, pooled()
        .setConnectionString(serverUrl(config.redisUrls().get(0), host, port))), config.redisTimeoutMs());
  }

  /** {@code url} with its host and port replaced, keeping its scheme and credentials. */
  static String serverUrl(String url, String host, int port) {
    URI first = URI.create(url);
    String credentials = first.getRawUserInfo() == null ? "" : first.getRawUserInfo() + "@";
    String address = host.contains(":") ? "[" + host + "]" : host;
    return first.getScheme() + "://" + credentials + address + ":" + port;
  }

  private static RedisOptions pooled() {
    return new RedisOptions().setMaxPoolSize(16).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000);
  }
}
