package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.RedisProcesses.cli;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.cache.CacheKeys;
import tributary.support.Http;
import tributary.support.RedisProcesses;
import tributary.support.TestNode;

/**
 * X2: a node on {@code --redis-mode=sentinel} finds its Redis master through a Sentinel of the
 * test's own, caches there, and follows the Sentinel to the replica it promotes when the master dies.
 */
class RedisSentinelIntegrationTest {
  private static final String MASTER_NAME = "tributary-master";

  private static void post(Http http, String token, String channel, int n) {
    for (int i = 0; i < n; i++) {
      assertEquals(202, http.postJson("/v1/channels/" + channel + "/records", token, "{\"payload\":" + i + "}")
          .statusCode());
    }
  }

  private static JsonObject cache(Http http, String token, String channel) {
    return http.get("/v1/channels/" + channel, token).bodyAsJsonObject().getJsonObject("cache");
  }

  private static int records(Http http, String token, String channel) {
    return http.get("/v1/channels/" + channel + "/records?after=0", token).bodyAsJsonObject()
        .getJsonArray("records").size();
  }

  @Test
  void theNodeCachesOnTheMasterTheSentinelNamesAndFollowsAFailover() throws Exception {
    try (RedisProcesses redis = new RedisProcesses()) {
      int master = redis.server();
      int replica = redis.server("--replicaof", "127.0.0.1", String.valueOf(master));
      int sentinel = redis.sentinel(MASTER_NAME, master);
      Http.awaitCondition(() -> cli(sentinel, "sentinel", "replicas", MASTER_NAME).contains(String.valueOf(replica)),
          15_000, "the sentinel knows the replica");
      try (TestNode node = TestNode.start("redis-sentinel", Map.of("redis-mode", "sentinel",
          "redis-url", "redis://127.0.0.1:" + sentinel, "redis-master-name", MASTER_NAME))) {
        Http http = node.http;
        String token = node.env.adminToken;
        String key = new CacheKeys(node.env.redisPrefix).channel("watched");
        post(http, token, "watched", 3);
        // The cache write follows the 202 (issue 16), so it is waited for.
        Http.awaitCondition(() -> cache(http, token, "watched").getLong("entries", 0L) == 3, 10_000,
            "cached through the sentinel");
        assertEquals("1", cli(master, "exists", key), "the stream lives on the master");

        redis.kill(master);
        Http.awaitCondition(() -> cli(sentinel, "sentinel", "get-master-addr-by-name", MASTER_NAME)
            .contains(String.valueOf(replica)), 30_000, "the sentinel promotes the replica");
        // Posted until one is cached: the client learns of the failover from the sentinel, in its own time.
        Http.awaitCondition(() -> {
          post(http, token, "after-failover", 1);
          return cache(http, token, "after-failover").getLong("entries", 0L) > 0;
        }, 30_000, "records cached again, on the promoted replica");
        assertEquals("1", cli(replica, "exists", new CacheKeys(node.env.redisPrefix).channel("after-failover")));
        assertEquals(3, records(http, token, "watched"), "every record read, from Redis or PostgreSQL");
      }
    }
  }
}
