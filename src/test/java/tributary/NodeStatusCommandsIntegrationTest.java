package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** D8 node status and D9 commands on one node, on the real PostgreSQL and Redis. */
class NodeStatusCommandsIntegrationTest {
  private static final String NODE = "status-node";
  private static TestNode testNode;
  private static Http http;
  private static String admin;
  private static Path configFile;

  @BeforeAll
  static void start() throws Exception {
    configFile = Files.createTempFile("tributary-reload", ".json");
    Files.writeString(configFile, "{}");
    testNode = TestNode.start(NODE, Map.of("status-period-ms", "100", "command-poll-ms", "500",
        "config", configFile.toString()));
    http = testNode.http;
    admin = testNode.env.adminToken;
  }

  @AfterAll
  static void stop() throws Exception {
    testNode.close();
    Files.deleteIfExists(configFile);
  }

  /** The node's latest status from GET /v1/nodes, or null before its first report. */
  private static JsonObject latest() {
    JsonArray nodes = http.get("/v1/nodes", admin).bodyAsJsonObject().getJsonArray("nodes");
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.getJsonObject(i).getString("nodeId").equals(NODE)) {
        return nodes.getJsonObject(i).getJsonObject("status");
      }
    }
    return null;
  }

  private static JsonObject awaitStatus(java.util.function.Predicate<JsonObject> condition, String what) {
    AtomicReference<JsonObject> seen = new AtomicReference<>();
    Http.awaitCondition(() -> {
      JsonObject s = latest();
      seen.set(s);
      return s != null && condition.test(s);
    }, 15_000, what);
    return seen.get();
  }

  /** The newest command of the node, as listed. */
  static JsonObject lastCommand(Http http, String admin, String nodeId) {
    JsonArray list = http.get("/v1/nodes/" + nodeId + "/commands", admin).bodyAsJsonObject().getJsonArray("commands");
    JsonObject newest = null;
    for (int i = 0; i < list.size(); i++) {
      JsonObject c = list.getJsonObject(i);
      if (newest == null || c.getLong("id") > newest.getLong("id")) {
        newest = c;
      }
    }
    return newest;
  }

  /** Issues a command (201, queued) and waits until the node has run it; answers the command. */
  static JsonObject run(Http http, String admin, String nodeId, String body) {
    HttpResponse<Buffer> issued = http.postJson("/v1/nodes/" + nodeId + "/commands", admin, body);
    assertEquals(201, issued.statusCode(), issued.bodyAsString());
    assertEquals("queued", issued.bodyAsJsonObject().getString("state"));
    long id = issued.bodyAsJsonObject().getLong("id");
    AtomicReference<JsonObject> finished = new AtomicReference<>();
    Http.awaitCondition(() -> {
      HttpResponse<Buffer> answer;
      try {
        answer = http.get("/v1/nodes/" + nodeId + "/commands", admin);
      } catch (AssertionError e) {
        return false; // a restart closes the HTTP face for a moment
      }
      JsonArray list = answer.bodyAsJsonObject().getJsonArray("commands");
      for (int i = 0; i < list.size(); i++) {
        JsonObject c = list.getJsonObject(i);
        if (c.getLong("id") == id && Set.of("done", "failed").contains(c.getString("state"))) {
          finished.set(c);
          return true;
        }
      }
      return false;
    }, 30_000, "command " + id + " finished");
    return finished.get();
  }

  @Test
  void statusFiguresArePlausibleAndNetworkCountersGrowUnderLoad() {
    JsonObject first = awaitStatus(s -> true, "a first status report");
    for (String percent : new String[] {"cpuPercent", "memoryPercent", "diskPercent"}) {
      double p = first.getDouble(percent);
      assertTrue(p >= 0 && p <= 100, percent + " within 0..100: " + p);
    }
    assertTrue(first.getDouble("memoryPercent") > 0, "some memory is in use");
    assertEquals(0L, first.getLong("taskBacklog"));
    assertEquals(0L, first.getLong("userBacklog"));
    assertNotNull(first.getJsonObject("commands"));
    long inBefore = first.getLong("netInBytes");
    long outBefore = first.getLong("netOutBytes");
    // About 2 MB through loopback, where the node's traffic goes.
    String body = "x".repeat(100_000);
    for (int i = 0; i < 20; i++) {
      http.send(HttpMethod.POST, "/v1/no-such-route", admin, "text/plain", body);
    }
    JsonObject after = awaitStatus(s -> s.getLong("netInBytes") >= inBefore + 2_000_000
        && s.getLong("netOutBytes") >= outBefore + 2_000_000, "network byte counters grown by the load");
    assertTrue(after.getLong("at") > first.getLong("at"));
    JsonArray series = http.get("/v1/nodes/" + NODE + "/status?since=" + first.getLong("at"), admin).bodyAsJsonObject()
        .getJsonArray("status");
    assertTrue(series.stream().map(JsonObject.class::cast).anyMatch(s -> s.getDouble("netInBytesPerSecond") > 0),
        "a report in the load saw bytes per second");
    double cpu = after.getDouble("cpuPercent");
    assertTrue(cpu >= 0 && cpu <= 100, "cpu within 0..100: " + cpu);
  }

  @Test
  void theSeriesStartsAtSinceAndBadQueriesAreNamed() {
    awaitStatus(s -> true, "a first status report");
    long since = System.currentTimeMillis();
    Http.awaitCondition(() -> http.get("/v1/nodes/" + NODE + "/status?since=" + since, admin).bodyAsJsonObject()
        .getJsonArray("status").size() >= 3, 15_000, "three reports since " + since);
    JsonArray series = http.get("/v1/nodes/" + NODE + "/status?since=" + since, admin).bodyAsJsonObject()
        .getJsonArray("status");
    long previous = since - 1;
    for (int i = 0; i < series.size(); i++) {
      long at = series.getJsonObject(i).getLong("at");
      assertTrue(at > previous, "oldest first, none before since");
      previous = at;
    }
    HttpResponse<Buffer> bad = http.get("/v1/nodes/" + NODE + "/status?since=yesterday", admin);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("message").startsWith("since "), bad.bodyAsString());
    HttpResponse<Buffer> unknown = http.get("/v1/nodes/no-such-node/status", admin);
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", unknown.bodyAsJsonObject().getString("error"));
  }

  @Test
  void openSseStreamsShowInTheStatus() {
    try (SseClient stream = new SseClient(testNode.port(), "/v1/channels/watched/stream", admin, null)) {
      awaitStatus(s -> s.getJsonObject("gauges").getLong("sse.streams", 0L) == 1, "one open stream reported");
    }
    awaitStatus(s -> s.getJsonObject("gauges").getLong("sse.streams", 0L) == 0, "the closed stream gone");
    awaitStatus(s -> Long.valueOf(0).equals(s.getJsonObject("gauges").getLong("gateway.queued")),
        "the gateway's held batches reported");
  }

  @Test
  void commandsAreForAdministratorsAndBadFieldsAreNamed() {
    String user = http.createUser(admin, "not-admin");
    assertEquals(403, http.postJson("/v1/nodes/" + NODE + "/commands", user, "{\"command\":\"restart\"}").statusCode());
    assertEquals(403, http.get("/v1/nodes/" + NODE + "/commands", user).statusCode());
    HttpResponse<Buffer> bad = http.postJson("/v1/nodes/" + NODE + "/commands", admin, "{\"command\":\"reboot\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("message").startsWith("command "), bad.bodyAsString());
    HttpResponse<Buffer> badArgs = http.postJson("/v1/nodes/" + NODE + "/commands", admin,
        "{\"command\":\"clear-cache\",\"args\":{\"channel\":\"*\"}}");
    assertEquals(400, badArgs.statusCode());
    assertTrue(badArgs.bodyAsJsonObject().getString("message").startsWith("args.channel"), badArgs.bodyAsString());
    assertEquals(400, http.postJson("/v1/nodes/" + NODE + "/commands", admin, "not json").statusCode());
    HttpResponse<Buffer> unknown = http.postJson("/v1/nodes/nobody/commands", admin, "{\"command\":\"restart\"}");
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", unknown.bodyAsJsonObject().getString("error"));
    assertEquals(400, http.get("/v1/nodes/" + NODE + "/commands?limit=0", admin).statusCode());
  }

  @Test
  void restartLeavesTheNodeServing() {
    Vertx vertx = testNode.node.vertx();
    Set<String> before = new HashSet<>(vertx.deploymentIDs());
    // A client of its own: a keep-alive connection held across the restart is this test's alone.
    try (Http own = new Http(testNode.port())) {
      JsonObject done = run(own, admin, NODE, "{\"command\":\"restart\"}");
      assertEquals("done", done.getString("state"), done.encode());
      assertTrue(done.getString("output").startsWith("restarted "), done.getString("output"));
      Set<String> after = new HashSet<>(vertx.deploymentIDs());
      assertEquals(before.size(), after.size(), "as many verticles as before");
      Set<String> kept = new HashSet<>(before);
      kept.retainAll(after);
      assertEquals(1, kept.size(), "only the agent kept its deployment");
    }
    http.awaitReady(15_000);
    String metrics = http.get("/metrics", null).bodyAsString();
    java.util.regex.Matcher open = java.util.regex.Pattern.compile("(?m)^tributary_http_connections(\\{[^}]*\\})? (\\S+)$")
        .matcher(metrics);
    assertTrue(open.find() && Double.parseDouble(open.group(2)) >= 1,
        "the gauge reads the new HTTP face, which serves this request: " + metrics.lines()
            .filter(l -> l.startsWith("tributary_http_connections")).toList());
    assertEquals(202, http.postJson("/v1/channels/after-restart/records", admin, "{\"payload\":1}").statusCode());
    assertEquals(1, http.get("/v1/channels/after-restart/records?after=0", admin).bodyAsJsonObject()
        .getJsonArray("records").size());
    JsonObject done = NodeStatusCommandsIntegrationTest.lastCommand(http, admin, NODE);
    awaitStatus(s -> done.getLong("id").equals(s.getJsonObject("commands").getLong("lastId"))
        && "done".equals(s.getJsonObject("commands").getString("lastState")), "the restart in the node's status");
  }

  @Test
  void reloadConfigAppliesAChangedLiveOption() throws Exception {
    long ttl = http.get("/v1/channels/reloaded", admin).bodyAsJsonObject().getJsonObject("cache").getLong("ttlMs");
    assertEquals(3_600_000, ttl);
    Files.writeString(configFile, "{\"cache-ttl-ms\": 120000, \"sse-stall-ms\": 5000}");
    JsonObject done = run(http, admin, NODE, "{\"command\":\"reload-config\"}");
    assertEquals("done", done.getString("state"), done.encode());
    assertTrue(done.getString("output").startsWith("applied live: cache-ttl-ms=120000; needs restart: sse-stall-ms"),
        done.getString("output"));
    assertEquals(120_000, http.get("/v1/channels/reloaded", admin).bodyAsJsonObject().getJsonObject("cache")
        .getLong("ttlMs"), "the default TTL the console shows is the reloaded one");
  }

  @Test
  void clearCacheOfAUserDropsItsQueueStreamAndTheQueueIsStillRead() {
    String sender = http.createUser(admin, "cc-sender");
    String receiver = http.createUser(admin, "cc-receiver");
    HttpResponse<Buffer> sent = await(http.sendAsync(HttpMethod.POST, "/v1/send_data/reading", sender, "text/plain",
        "hello", Map.of("USER-AGENT", "cc-sender", "LEVEL", "0", "DES-USER", "cc-receiver")));
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    Http.awaitCondition(() -> http.get("/v1/users/cc-receiver/data?after=0", receiver).bodyAsJsonObject()
        .getJsonArray("records").size() == 1, 15_000, "the item in the receiver's queue");
    JsonObject done = run(http, admin, NODE, "{\"command\":\"clear-cache\",\"args\":{\"user\":\"cc-receiver\"}}");
    assertEquals("dropped 1 key of user 'cc-receiver'", done.getString("output"));
    assertEquals(1, http.get("/v1/users/cc-receiver/data?after=0", receiver).bodyAsJsonObject()
        .getJsonArray("records").size(), "the queue is read from PostgreSQL");
  }

  @Test
  void clearCacheOfAllDropsOnlyThisClustersPrefix() {
    assertEquals(202, http.postJson("/v1/channels/cached/records", admin, "{\"payload\":1}").statusCode());
    Http.awaitCondition(() -> http.get("/v1/channels/cached", admin).bodyAsJsonObject().getJsonObject("cache")
        .getLong("entries") == 1, 10_000, "the record cached");
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, TestEnv.REDIS_URL);
    String otherKey = "test:other-" + testNode.env.schema + ":keep";
    try {
      await(redis.send(Request.cmd(Command.SET).arg(otherKey).arg("1")));
      JsonObject done = run(http, admin, NODE, "{\"command\":\"clear-cache\",\"args\":{\"all\":true}}");
      assertEquals("done", done.getString("state"), done.encode());
      assertTrue(done.getString("output").matches("dropped [1-9][0-9]* keys? of all keys"), done.getString("output"));
      assertEquals(1, await(redis.send(Request.cmd(Command.EXISTS).arg(otherKey))).toInteger(),
          "another prefix's key is kept");
      assertNotEquals(1L, http.get("/v1/channels/cached", admin).bodyAsJsonObject().getJsonObject("cache")
          .getLong("entries"), "the channel's stream is gone");
      assertEquals(1, http.get("/v1/channels/cached/records?after=0", admin).bodyAsJsonObject()
          .getJsonArray("records").size(), "the record is still read, from PostgreSQL");
    } finally {
      await(redis.send(Request.cmd(Command.DEL).arg(otherKey)));
      await(vertx.close());
    }
  }
}
