package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.cache.CacheGate;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Issue 15: a channel switched out of the cache on one node is kept out of Redis by the channel
 * cache of every node at once, although each had just looked the channel up and would otherwise
 * trust that answer for {@link CacheGate#KEEP_MS}.
 */
class CacheSwitchClusterTest {
  @Test
  void aSwitchMadeOnOneNodeAppliesOnEveryNodeAtOnce() {
    TestEnv env = new TestEnv();
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("switch-a", "edge,gateway,core,cache,management,console");
    roles.put("switch-b", "cache,console");
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, Map.of("storage-nodes", "0"));
      Redis redis = Redis.createClient(nodes.get(0).vertx(), TestEnv.REDIS_URL);
      String key = env.redisPrefix + "ch:{spread}";
      try (Http a = new Http(nodes.get(0).config().httpPort()); Http b = new Http(nodes.get(1).config().httpPort())) {
        a.awaitReady(30_000);
        b.awaitReady(30_000);
        // Appends go round-robin to both nodes' channel caches, which then know the channel as cached.
        post(a, env.adminToken, 6);
        Http.awaitCondition(() -> await(redis.send(Request.cmd(Command.XLEN).arg(key))).toLong() == 6, 10_000,
            "every record cached");

        HttpResponse<Buffer> off = b.putJson("/v1/channels/spread/cache", env.adminToken, "{\"cached\":false}");
        assertEquals(200, off.statusCode(), off.bodyAsString());
        long at = System.nanoTime();
        Http.awaitCondition(() -> await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong() == 0, 1_000,
            "the stream dropped");
        post(a, env.adminToken, 6);
        long tookMs = (System.nanoTime() - at) / 1_000_000;
        assertTrue(tookMs < CacheGate.KEEP_MS, "posted within the time a node trusts its look-up: " + tookMs + " ms");
        assertEquals(0, await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong(),
            "no node appended after the switch");
        assertFalse(a.get("/v1/channels/spread", env.adminToken).bodyAsJsonObject().getJsonObject("cache")
            .getBoolean("cached"));
        assertEquals(12, a.get("/v1/channels/spread/records?after=0", env.adminToken).bodyAsJsonObject()
            .getJsonArray("records").size());
      } finally {
        redis.close();
      }
    } finally {
      env.drop();
    }
  }

  private static void post(Http http, String token, int count) {
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> r = http.postJson("/v1/channels/spread/records", token, "{\"payload\":" + i + "}");
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }
  }
}
