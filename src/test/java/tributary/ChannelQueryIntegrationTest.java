package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** Q2, Q7, X3: long-poll, time-range history and read rights, on the real PostgreSQL and Redis. */
class ChannelQueryIntegrationTest {
  private static TestNode testNode;
  private static TestEnv env;
  private static Node node;
  private static Http http;
  private static String owner;
  private static String friend;
  private static String stranger;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("query-node", Map.of());
    env = testNode.env;
    node = testNode.node;
    http = testNode.http;
    owner = http.createUser(env.adminToken, "owner");
    friend = http.createUser(env.adminToken, "friend");
    stranger = http.createUser(env.adminToken, "stranger");
  }

  @AfterAll
  static void stop() {
    testNode.close();
  }

  private static JsonObject post(String token, String channel, String payload) {
    HttpResponse<Buffer> r = http.postJson("/v1/channels/" + channel + "/records", token,
        "{\"payload\":" + payload + "}");
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("records").getJsonObject(0);
  }

  @Test
  void aReadAtTheEndWaitsForTheNextRecord() {
    post(owner, "polled", "1");
    long started = System.currentTimeMillis();
    Future<HttpResponse<Buffer>> waiting = http.sendAsync(HttpMethod.GET, "/v1/channels/polled/records?after=1&wait=10000",
        owner, null, null);
    Http.awaitCondition(() -> System.currentTimeMillis() - started > 300 || waiting.isComplete(), 5_000, "a moment");
    assertTrue(!waiting.isComplete(), "the read waits while there is nothing new");
    post(owner, "polled", "2");
    JsonObject page = await(waiting).bodyAsJsonObject();
    assertEquals(2, page.getJsonArray("records").getJsonObject(0).getLong("cursor"));
    assertTrue(System.currentTimeMillis() - started < 9_000, "answered on the commit, not at the timeout");

    long quiet = System.currentTimeMillis();
    JsonObject empty = http.get("/v1/channels/polled/records?after=2&wait=300", owner).bodyAsJsonObject();
    assertTrue(empty.getJsonArray("records").isEmpty());
    assertEquals(2, empty.getLong("next"));
    assertTrue(System.currentTimeMillis() - quiet >= 250, "waited for the timeout");
    assertEquals(400, http.get("/v1/channels/polled/records?after=2&wait=999999", owner).statusCode());
  }

  @Test
  void historyPagesThroughATimeRange() throws Exception {
    long before = System.currentTimeMillis() - 1;
    for (int i = 0; i < 5; i++) {
      post(owner, "history", String.valueOf(i));
    }
    long after = System.currentTimeMillis() + 1;
    JsonObject first = http.get("/v1/channels/history/history?from=" + before + "&to=" + after + "&limit=3", owner)
        .bodyAsJsonObject();
    assertEquals(3, first.getJsonArray("records").size());
    assertEquals(3, first.getLong("next"));
    JsonObject second = http.get("/v1/channels/history/history?from=" + before + "&to=" + after + "&limit=3&after="
        + first.getLong("next"), owner).bodyAsJsonObject();
    assertEquals(2, second.getJsonArray("records").size());
    assertEquals(null, second.getValue("next"));
    JsonObject none = http.get("/v1/channels/history/history?from=0&to=" + before, owner).bodyAsJsonObject();
    assertTrue(none.getJsonArray("records").isEmpty());
    assertEquals(400, http.get("/v1/channels/history/history?from=yesterday", owner).statusCode());
  }

  @Test
  void aRestrictedChannelIsReadOnlyByItsReadersItsOwnerAndAdmins() {
    post(owner, "private", "{\"secret\":1}");
    assertEquals(200, http.get("/v1/channels/private/records?after=0", stranger).statusCode(), "open by default");

    assertEquals(403, http.putJson("/v1/channels/private/acl", stranger, "{\"readers\":[\"stranger\"]}").statusCode(),
        "only the owner or an admin sets rights");
    HttpResponse<Buffer> set = http.putJson("/v1/channels/private/acl", owner, "{\"readers\":[\"friend\"]}");
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(new JsonArray().add("friend"), set.bodyAsJsonObject().getJsonArray("readers"));
    assertEquals("owner", set.bodyAsJsonObject().getString("owner"));

    HttpResponse<Buffer> refused = http.get("/v1/channels/private/records?after=0", stranger);
    assertEquals(403, refused.statusCode());
    assertEquals("forbidden", refused.bodyAsJsonObject().getString("error"));
    assertEquals(403, http.get("/v1/channels/private.results/records?after=0", stranger).statusCode(),
        "results follow their channel");
    assertEquals(403, http.get("/v1/channels/private/history?from=0", stranger).statusCode());
    try (SseClient sse = new SseClient(node.config().httpPort(), "/v1/channels/private/stream?after=0", stranger,
        null)) {
      assertEquals(403, sse.status);
    }
    assertEquals(200, http.get("/v1/channels/private/records?after=0", friend).statusCode());
    assertEquals(200, http.get("/v1/channels/private/records?after=0", owner).statusCode());
    assertEquals(200, http.get("/v1/channels/private/records?after=0", env.adminToken).statusCode());

    assertEquals(200, http.send(HttpMethod.DELETE, "/v1/channels/private/acl", env.adminToken, null, null)
        .statusCode());
    assertEquals(200, http.get("/v1/channels/private/records?after=0", stranger).statusCode(), "open again");
  }
}
