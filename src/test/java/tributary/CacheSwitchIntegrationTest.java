package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/**
 * Issue 15, cache or not per channel: a channel switched out of Redis is read from PostgreSQL, and
 * switched back in, is read across the seam (older from PostgreSQL, newer from Redis) with no gap
 * and no repeat, by cursor and by a live stream that stays open throughout. Redis is checked
 * directly under the run's key prefix.
 */
class CacheSwitchIntegrationTest {
  private static TestNode testNode;
  private static Http http;
  private static String token;
  private static Redis redis;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("switch-node", Map.of());
    http = testNode.http;
    token = http.createUser(testNode.env.adminToken, "switcher");
    redis = Redis.createClient(testNode.node.vertx(), TestEnv.REDIS_URL);
  }

  @AfterAll
  static void stop() {
    redis.close();
    testNode.close();
  }

  /** The channel's stream key, as the node writes it under the run's prefix. */
  private static String streamKey(String channel) {
    return testNode.env.redisPrefix + "ch:{" + channel + "}";
  }

  private static long streamLength(String channel) {
    return await(redis.send(Request.cmd(Command.XLEN).arg(streamKey(channel)))).toLong();
  }

  private static boolean streamExists(String channel) {
    return await(redis.send(Request.cmd(Command.EXISTS).arg(streamKey(channel)))).toLong() == 1;
  }

  private static String firstStreamId(String channel) {
    Response r = await(redis.send(Request.cmd(Command.XRANGE).arg(streamKey(channel)).arg("-").arg("+")
        .arg("COUNT").arg(1)));
    return r == null || r.size() == 0 ? null : r.get(0).get(0).toString();
  }

  /** Posts records one request at a time, each acknowledged after its commit and cache write. */
  private static void post(String channel, int count) {
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> r = http.postJson("/v1/channels/" + channel + "/records", token,
          "{\"payload\":{\"i\":" + i + "}}");
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }
  }

  private static JsonObject setCache(String channel, String body) {
    HttpResponse<Buffer> r = http.putJson("/v1/channels/" + channel + "/cache", token, body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static JsonObject cacheState(String channel) {
    return http.get("/v1/channels/" + channel, token).bodyAsJsonObject().getJsonObject("cache");
  }

  /** Every cursor read from {@code after} on in pages of {@code limit}, following {@code next}. */
  private static List<Long> readByCursor(String channel, long after, int limit) {
    List<Long> cursors = new ArrayList<>();
    while (true) {
      JsonObject page = http.get("/v1/channels/" + channel + "/records?after=" + after + "&limit=" + limit, token)
          .bodyAsJsonObject();
      JsonArray records = page.getJsonArray("records");
      if (records.isEmpty()) {
        return cursors;
      }
      for (int i = 0; i < records.size(); i++) {
        cursors.add(records.getJsonObject(i).getLong("cursor"));
      }
      after = page.getLong("next");
    }
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long c = first; c <= last; c++) {
      out.add(c);
    }
    return out;
  }

  private static List<Long> history(String channel) {
    JsonArray records = http.get("/v1/channels/" + channel + "/history?from=0&limit=1000", token).bodyAsJsonObject()
        .getJsonArray("records");
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      out.add(records.getJsonObject(i).getLong("cursor"));
    }
    return out;
  }

  @Test
  void aChannelOutOfTheCacheIsReadFromPostgresAndBackInWithNoGapOrRepeat() {
    String c = "switch";
    post(c, 5);
    // The cache write follows the 202 (issue 16), so it is waited for.
    Http.awaitCondition(() -> streamLength(c) == 5, 10_000, "cached by default");
    try (SseClient live = new SseClient(testNode.port(), "/v1/channels/" + c + "/stream?after=0", token, null)) {
      assertEquals(200, live.status);
      Http.awaitCondition(() -> live.ids.size() >= 5, 10_000, "the first records streamed");

      JsonObject off = setCache(c, "{\"cached\":false}");
      assertFalse(off.getBoolean("cached"));
      Http.awaitCondition(() -> !streamExists(c), 5_000, "the stream dropped on the switch");
      assertFalse(cacheState(c).getBoolean("cached"));
      post(c, 5);
      assertFalse(streamExists(c), "nothing appended to Redis while the channel is out of the cache");
      assertEquals(range(1, 10), readByCursor(c, 0, 3), "by cursor, from PostgreSQL");
      assertEquals(range(1, 10), history(c));
      Http.awaitCondition(() -> live.ids.size() >= 10, 10_000, "records streamed from PostgreSQL");
      assertTrue(live.sawExactly(1, 10), "ids " + live.ids);
      try (SseClient fresh = new SseClient(testNode.port(), "/v1/channels/" + c + "/stream?after=0", token, null)) {
        Http.awaitCondition(() -> fresh.ids.size() >= 10, 10_000, "a new stream from PostgreSQL");
        assertTrue(fresh.sawExactly(1, 10), "ids " + fresh.ids);
      }
      assertFalse(streamExists(c), "reads do not fill the cache of a channel out of it");

      JsonObject on = setCache(c, "{\"cached\":true}");
      assertTrue(on.getBoolean("cached"));
      assertTrue(cacheState(c).getBoolean("cached"));
      post(c, 5);
      Http.awaitCondition(() -> streamLength(c) == 5, 10_000, "cached again from the switch on");
      assertEquals("11-0", firstStreamId(c), "the stream starts after the records kept out of it");
      assertEquals(range(1, 15), readByCursor(c, 0, 3), "pages across the seam");
      assertEquals(range(1, 15), readByCursor(c, 0, 1000), "one page across the seam");
      assertEquals(range(9, 15), readByCursor(c, 8, 4), "from PostgreSQL into Redis");
      assertEquals(range(12, 15), readByCursor(c, 11, 2), "from Redis alone");
      assertEquals(range(1, 15), history(c));
      Http.awaitCondition(() -> live.ids.size() >= 15, 10_000, "records streamed from Redis again");
      assertTrue(live.sawExactly(1, 15), "one stream open throughout: ids " + live.ids);
    }
  }

  @Test
  void theSwitchKeepsTheOtherSettingsAndAWrongTypeIsRefused() {
    String c = "settings";
    post(c, 1);
    JsonObject set = setCache(c, "{\"ttlMs\":120000,\"adaptive\":true}");
    assertTrue(set.getBoolean("cached"));
    JsonObject off = setCache(c, "{\"cached\":false}");
    assertEquals(120000, off.getLong("ttlMs"), "a field left out keeps its value");
    assertTrue(off.getBoolean("adaptive"));
    JsonObject state = cacheState(c);
    assertFalse(state.getBoolean("cached"));
    assertEquals(120000, state.getLong("ttlMs"));
    HttpResponse<Buffer> wrong = http.send(HttpMethod.PUT, "/v1/channels/" + c + "/cache", token,
        "application/json", "{\"cached\":\"no\"}");
    assertEquals(400, wrong.statusCode());
    assertTrue(wrong.bodyAsString().contains("cached"), wrong.bodyAsString());
    assertFalse(cacheState(c).getBoolean("cached"), "a refused change changes nothing");
    JsonObject listed = http.get("/v1/channels?prefix=" + c, token).bodyAsJsonObject().getJsonArray("channels")
        .getJsonObject(0);
    assertFalse(listed.getBoolean("cached"), listed.encode());
  }
}
