package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** Q5: per-channel TTL, the adaptive mode and the cleaner, on the real PostgreSQL and Redis. */
class CacheCleanerIntegrationTest {
  private static TestNode testNode;
  private static TestEnv env;
  private static Node node;
  private static Http http;
  private static String token;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("cleaner-node", Map.of("cache-clean-period-ms", "200", "cache-ttl-min-ms", "1000",
        "cache-ttl-max-ms", "600000", "cache-idle-ms", "1500"));
    env = testNode.env;
    node = testNode.node;
    http = testNode.http;
    token = http.createUser(env.adminToken, "keeper");
  }

  @AfterAll
  static void stop() {
    testNode.close();
  }

  private static void post(String channel, int n) {
    for (int i = 0; i < n; i++) {
      assertEquals(202, http.postJson("/v1/channels/" + channel + "/records", token, "{\"payload\":" + i + "}")
          .statusCode());
    }
  }

  private static JsonObject cache(String channel) {
    return http.get("/v1/channels/" + channel, token).bodyAsJsonObject().getJsonObject("cache");
  }

  @Test
  void entriesOlderThanTheTtlAreTrimmedAndStillReadFromPostgres() {
    post("short", 5);
    JsonObject set = http.putJson("/v1/channels/short/cache", token, "{\"ttlMs\":1000}").bodyAsJsonObject();
    assertEquals(1000, set.getLong("ttlMs"));
    Http.awaitCondition(() -> cache("short").getLong("entries") == 5, 10_000, "the records cached");
    Http.awaitCondition(() -> cache("short").getLong("entries") == 0, 10_000, "expired entries trimmed");
    post("short", 1);
    Http.awaitCondition(() -> cache("short").getLong("entries") == 1, 5_000, "the new record cached");
    assertEquals(6, cache("short").getLong("firstCursor"));
    JsonObject all = http.get("/v1/channels/short/records?after=0", token).bodyAsJsonObject();
    assertEquals(6, all.getJsonArray("records").size(), "trimmed records come from PostgreSQL");
    JsonObject info = http.get("/v1/channels/short", token).bodyAsJsonObject();
    assertEquals(6, info.getLong("length"));
  }

  @Test
  void idleChannelsLeaveTheCache() {
    post("idle", 2);
    Http.awaitCondition(() -> cache("idle").getValue("firstCursor") == null, 15_000, "the idle key dropped");
    assertEquals(2, http.get("/v1/channels/idle/records?after=0", token).bodyAsJsonObject()
        .getJsonArray("records").size());
  }

  @Test
  void theAdaptiveTtlFollowsTheReadRate() {
    post("busy", 1);
    assertEquals(200, http.putJson("/v1/channels/busy/cache", token, "{\"ttlMs\":60000,\"adaptive\":true}")
        .statusCode());
    // About 20 reads a second, i.e. far above the reference rate of one a minute.
    Http.awaitCondition(() -> {
      http.get("/v1/channels/busy/records?after=0", token);
      Long effective = cache("busy").getLong("effectiveTtlMs");
      // Within the adaptive bounds: the cleaner's answer for the new setting, not an earlier one.
      return effective != null && effective > 60_000 && effective <= 600_000;
    }, 15_000, "a longer TTL for a busy channel");
    JsonObject c = cache("busy");
    assertTrue(c.getDouble("readsPerMinute") > 1.0, c.encode());
    assertTrue(c.getLong("effectiveTtlMs") <= 600_000, "within the maximum");
    assertEquals(400, http.putJson("/v1/channels/busy/cache", token, "{\"ttlMs\":5}").statusCode());
  }

  @Test
  void aChannelWatchedLiveKeepsItsLongerTtlWithNoOtherRead() {
    post("watched", 1);
    assertEquals(200, http.putJson("/v1/channels/watched/cache", token, "{\"ttlMs\":60000,\"adaptive\":true}")
        .statusCode());
    try (SseClient stream = new SseClient(testNode.port(), "/v1/channels/watched/stream", token, null)) {
      Http.awaitCondition(() -> {
        Long effective = cache("watched").getLong("effectiveTtlMs");
        return effective != null && effective > 60_000;
      }, 15_000, "a longer TTL for a channel watched live");
      // Counted once at connect, the rate halves every 200 ms round and the channel, read by no one
      // for cache-idle-ms (1.5 s), leaves the cache; an open stream keeps counting, so it stays.
      long until = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < until) {
        JsonObject c = cache("watched");
        assertTrue(c.getLong("effectiveTtlMs") > 60_000, "still long while watched: " + c.encode());
        assertEquals(1, c.getInteger("entries"), "a watched channel is not idle, so it stays cached: " + c.encode());
      }
      assertEquals(200, stream.status);
    }
  }
}
