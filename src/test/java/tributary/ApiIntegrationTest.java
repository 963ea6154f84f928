package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.node.BuildInfo;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** One all-roles node on the machine's real PostgreSQL and Redis, in a schema and key prefix of its own. */
class ApiIntegrationTest {
  private static TestNode testNode;
  private static TestEnv env;
  private static Node node;
  private static Http http;
  private static String userToken;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("api-node", Map.of());
    env = testNode.env;
    node = testNode.node;
    http = testNode.http;
    userToken = http.createUser(env.adminToken, "alice");
  }

  @AfterAll
  static void stop() {
    testNode.close();
  }

  private static JsonObject post(String channel, String contentType, String body, int expectedStatus) {
    HttpResponse<Buffer> r = http.send(HttpMethod.POST, "/v1/channels/" + channel + "/records", userToken,
        contentType, body);
    assertEquals(expectedStatus, r.statusCode(), r.bodyAsString());
    assertEquals("application/json", r.getHeader("Content-Type"));
    return r.bodyAsJsonObject();
  }

  private static JsonObject read(String channel, String query) {
    HttpResponse<Buffer> r = http.get("/v1/channels/" + channel + "/records?" + query, userToken);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static List<Long> cursors(JsonObject page) {
    List<Long> out = new ArrayList<>();
    page.getJsonArray("records").forEach(r -> out.add(((JsonObject) r).getLong("cursor")));
    return out;
  }

  @Test
  void recordRoundTripAssignsDenseCursorsAndReadsThemBack() {
    JsonObject one = post("round-trip", "application/json", "{\"type\":\"temp\",\"payload\":{\"c\":21.5}}", 202);
    assertEquals(1, one.getJsonArray("records").getJsonObject(0).getLong("cursor"));
    JsonObject batch = post("round-trip", "application/x-ndjson", "{\"payload\":2}\n{\"payload\":3,\"priority\":0}\n", 202);
    assertEquals(List.of(2L, 3L), cursors(batch));

    JsonObject page = read("round-trip", "after=0");
    assertEquals(List.of(1L, 2L, 3L), cursors(page));
    assertEquals(3, page.getLong("next"));
    JsonObject first = page.getJsonArray("records").getJsonObject(0);
    assertEquals(21.5, first.getJsonObject("payload").getDouble("c"));
    assertEquals("temp", first.getString("dataType"));
    assertEquals("alice", first.getString("sender"));
    assertEquals("api-node", first.getString("edge"));

    assertEquals(List.of(2L), cursors(read("round-trip", "after=1&limit=1")));
    JsonObject end = read("round-trip", "after=3");
    assertTrue(end.getJsonArray("records").isEmpty());
    assertEquals(3, end.getLong("next"));
  }

  @Test
  void readsFillFromPostgresWhatTheCacheLacks() {
    post("seam", "application/x-ndjson", "{\"payload\":1}\n{\"payload\":2}\n{\"payload\":3}\n{\"payload\":4}\n", 202);
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, TestEnv.REDIS_URL);
      String key = env.redisPrefix + "ch:{seam}";
      // The cache write follows the 202 (issue 16), so it is waited for.
      Http.awaitCondition(() -> await(redis.send(Request.cmd(Command.XLEN).arg(key))).toInteger() == 4, 10_000,
          "the batch cached");
      // Drop the first two cached entries: the read must take 1-2 from PostgreSQL, 3-4 from Redis.
      await(redis.send(Request.cmd(Command.XDEL).arg(key).arg("1-0").arg("2-0")));
      assertEquals(List.of(1L, 2L, 3L, 4L), cursors(read("seam", "after=0")));
      await(redis.send(Request.cmd(Command.DEL).arg(key)));
      assertEquals(List.of(3L, 4L), cursors(read("seam", "after=2")));
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aRecordPostedTwiceWithItsIdIsStoredOnce() {
    String id = UUID.randomUUID().toString();
    String body = "{\"id\":\"" + id + "\",\"payload\":1}";
    JsonObject first = post("dedup", "application/json", body, 202).getJsonArray("records").getJsonObject(0);
    JsonObject again = post("dedup", "application/json", body, 202).getJsonArray("records").getJsonObject(0);
    assertEquals(first.getLong("cursor"), again.getLong("cursor"));
    assertFalse(first.getBoolean("duplicate"));
    assertTrue(again.getBoolean("duplicate"));
    assertFalse(again.containsKey("channel"), "a record of the channel posted to: " + again);
    assertEquals(1, read("dedup", "after=0").getJsonArray("records").size());

    // E4: an id is the same record in any channel; its cursor counts in the channel that holds it.
    JsonObject elsewhere = post("dedup-elsewhere", "application/json", body, 202).getJsonArray("records")
        .getJsonObject(0);
    assertEquals(new JsonObject().put("id", id).put("cursor", first.getLong("cursor")).put("duplicate", true)
        .put("channel", "dedup"), elsewhere);
    assertTrue(read("dedup-elsewhere", "after=0").getJsonArray("records").isEmpty());
  }

  @Test
  void badInputGetsAJsonErrorAndStoresNothing() {
    assertError(post("bad", "application/json", "{\"payload\":", 400), "bad_request");
    JsonObject line = post("bad", "application/x-ndjson", "{\"payload\":1}\n{\"payload\":\n", 400);
    assertTrue(line.getString("message").startsWith("line 2:"), line.encode());
    assertError(post("bad", "text/plain", "hello", 415), "unsupported_media_type");
    assertError(post("bad", "application/json", "x".repeat(2 * 1024 * 1024), 413), "payload_too_large");
    assertTrue(read("bad", "after=0").getJsonArray("records").isEmpty());

    HttpResponse<Buffer> badCursor = http.get("/v1/channels/bad/records?after=-3", userToken);
    assertEquals(400, badCursor.statusCode());
    HttpResponse<Buffer> badChannel = http.get("/v1/channels/no%20spaces/records", userToken);
    assertEquals(400, badChannel.statusCode());
    assertError(badChannel.bodyAsJsonObject(), "bad_request");
  }

  @Test
  void everyV1RouteNeedsAValidTokenAndAdminRoutesAnAdmin() {
    HttpResponse<Buffer> none = http.get("/v1/nodes", null);
    assertEquals(401, none.statusCode());
    assertError(none.bodyAsJsonObject(), "unauthorized");
    HttpResponse<Buffer> wrong = http.get("/v1/nodes", "trb_not-a-real-token");
    assertEquals(401, wrong.statusCode());
    assertError(wrong.bodyAsJsonObject(), "unauthorized");
    HttpResponse<Buffer> userOnAdmin = http.postJson("/v1/users", userToken, "{\"userId\":\"mallory\"}");
    assertEquals(403, userOnAdmin.statusCode());
    assertError(userOnAdmin.bodyAsJsonObject(), "forbidden");
    HttpResponse<Buffer> taken = http.postJson("/v1/users", env.adminToken, "{\"userId\":\"alice\"}");
    assertEquals(409, taken.statusCode());
    HttpResponse<Buffer> missing = http.get("/v1/no-such-thing", userToken);
    assertEquals(404, missing.statusCode());
    assertError(missing.bodyAsJsonObject(), "not_found");
  }

  @Test
  void oversizedHeadersGetA431JsonError() {
    HttpResponse<Buffer> r = http.send(HttpMethod.GET, "/health?pad=" + "a".repeat(20_000), null, null, null);
    assertEquals(431, r.statusCode());
    assertError(r.bodyAsJsonObject(), "headers_too_large");
  }

  @Test
  void nodeRegistersWithManagementAndIsListed() {
    JsonArray nodes = http.get("/v1/nodes", userToken).bodyAsJsonObject().getJsonArray("nodes");
    JsonObject self = nodes.stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("nodeId").equals("api-node")).findFirst().orElseThrow();
    assertEquals("up", self.getString("state"));
    assertTrue(self.getJsonArray("roles").contains("edge"));
    assertTrue(self.getInteger("cores") >= 1);
    assertTrue(self.getLong("memoryBytes") > 0);
  }

  @Test
  void healthReadyAndMetricsAnswer() throws java.io.IOException {
    assertEquals("up", http.get("/health", null).bodyAsJsonObject().getString("status"));
    JsonObject ready = http.get("/ready", null).bodyAsJsonObject();
    assertEquals("ready", ready.getString("status"));
    assertEquals(202, http.postJson("/v1/channels/metered/records", userToken, "{\"type\":\"m\",\"payload\":{}}")
        .statusCode());
    String metrics = http.get("/metrics", null).bodyAsString();
    assertTrue(metrics.contains("vertx_http_server_requests_total"), "prometheus text expected");
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vertx_http_server_requests_total{")
        && l.contains("/v1/channels/:channel/records\"") && l.contains("code=\"202\"")),
        "requests counted by route and status: " + metrics.lines().filter(l -> l.startsWith("vertx_http_server_requests_total")).toList());
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("tributary_records_committed_total")
        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1), "records counted");
    // The Grafana dashboard asks only for metrics a node has (gateway and dispatch ones included).
    io.vertx.core.json.JsonArray panels = new JsonObject(java.nio.file.Files.readString(
        java.nio.file.Path.of("scripts/deploy/grafana-dashboard.json"))).getJsonArray("panels");
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b((?:tributary|vertx)_[a-z_]+?)(?:_bucket)?\\b")
        .matcher(panels.encode());
    int asked = 0;
    while (names.find()) {
      asked++;
      String name = names.group(1);
      assertTrue(metrics.contains("\n" + name) || metrics.contains("\n" + name + "_bucket"), "dashboard metric " + name);
    }
    assertTrue(asked >= 10, "the dashboard's queries were read: " + asked);
    assertTrue(metrics.contains("tributary_build_info{") && metrics.contains("version=\"" + BuildInfo.version() + "\""),
        "the build each node runs");
    assertTrue(metrics.contains("tributary_core_commit_seconds_bucket{"),
        "latencies as histograms, whose buckets add up across nodes");
    assertTrue(!BuildInfo.version().equals("unknown"), "the build's version is filtered in: " + BuildInfo.version());
  }

  @Test
  void aNodeThatCannotStartSaysWhyAtOnce() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.Map<String, String> s = env.settings("blocked-node");
      s.put("http-port", String.valueOf(taken.getLocalPort()));
      java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class, () -> Node.start(tributary.config.NodeConfig.from(s))
              .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(failed.getCause().getMessage().startsWith("cannot start http-face"), failed.getCause().getMessage());
    }
  }

  private static void assertError(JsonObject body, String code) {
    assertEquals(code, body.getString("error"), body.encode());
    assertTrue(body.getString("message") != null && !body.getString("message").isBlank(), body.encode());
  }
}
