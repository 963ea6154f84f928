package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;

class RedisClientsTest {

  private static RedisOptions options(Map<String, String> settings) {
    return RedisClients.options(NodeConfig.from(settings));
  }

  @Test
  void eachModeGetsItsClientType() {
    RedisOptions standalone = options(Map.of("redis-url", "redis://r1:6379"));
    assertEquals(RedisClientType.STANDALONE, standalone.getType());
    assertEquals(List.of("redis://r1:6379"), standalone.getEndpoints());

    RedisOptions cluster = options(Map.of("redis-mode", "cluster", "redis-url", "redis://r1:7000,redis://r2:7000"));
    assertEquals(RedisClientType.CLUSTER, cluster.getType());
    assertEquals(List.of("redis://r1:7000", "redis://r2:7000"), cluster.getEndpoints());
    assertEquals(RedisReplicas.NEVER, cluster.getUseReplicas(), "cursor reads need the newest entries");

    RedisOptions sentinel = options(Map.of("redis-mode", "sentinel", "redis-url", "redis://s1:26379,redis://s2:26379",
        "redis-master-name", "cache"));
    assertEquals(RedisClientType.SENTINEL, sentinel.getType());
    assertEquals(List.of("redis://s1:26379", "redis://s2:26379"), sentinel.getEndpoints());
    assertEquals("cache", sentinel.getMasterName());
    assertEquals(RedisRole.MASTER, sentinel.getRole());
  }

  @Test
  void aServerOfTheClusterIsReachedWithTheFirstUrlsSchemeAndCredentials() {
    assertEquals("redis://10.0.0.7:7001", RedisClients.serverUrl("redis://seed:7000", "10.0.0.7", 7001));
    assertEquals("rediss://app:s%40cret@10.0.0.7:7001",
        RedisClients.serverUrl("rediss://app:s%40cret@seed:7000/0", "10.0.0.7", 7001));
    assertEquals("redis://[fd00::7]:7001", RedisClients.serverUrl("redis://seed:7000", "fd00::7", 7001));
  }
}
