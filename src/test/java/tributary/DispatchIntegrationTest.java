package tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.Addresses;
import tributary.cache.CacheKeys;
import tributary.dispatch.DispatchMessages.Accepted;
import tributary.dispatch.DispatchMessages.Submit;
import tributary.dispatch.DispatchMessages.WorkerRegistered;
import tributary.dispatch.DispatchMessages.WorkerRegistration;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;

/**
 * Section D on a cluster of three: management with the HTTP face and the cache, and two dispatch
 * workers, A and B. User A1 is bound to worker A, B1 to worker B.
 */
class DispatchIntegrationTest {
  private static TestEnv env;
  private static Cluster cluster;
  private static Http http;
  private static Map<String, String> tokens = new HashMap<>();
  private static Map<String, Integer> workers = new HashMap<>();
  private static Vertx managementVertx;

  @BeforeAll
  static void start() {
    env = new TestEnv();
    cluster = new Cluster(env);
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("d-manage", "management,console,cache");
    roles.put("d-worker-a", "dispatch");
    roles.put("d-worker-b", "dispatch");
    // Quick retries, and aging slow enough that a test's backlog of level 9 never outranks level 0.
    List<Node> nodes = cluster.start(roles, Map.of("dispatch-retry-base-ms", "50", "dispatch-retry-max-ms", "400",
        "dispatch-aging-step-ms", "10000", "dispatch-retry-flag", "3"));
    http = new Http(nodes.get(0).config().httpPort());
    managementVertx = nodes.get(0).vertx();
    http.awaitReady(30_000);
    Http.awaitCondition(() -> liveWorkers().size() == 2, 30_000, "two live dispatch workers");
    liveWorkers().forEach(w -> workers.put(w.getString("node"), w.getInteger("number")));
    for (String user : List.of("A1", "B1", "B2", "B3", "B4")) {
      tokens.put(user, http.createUser(env.adminToken, user));
      int worker = workers.get(user.startsWith("A") ? "d-worker-a" : "d-worker-b");
      HttpResponse<Buffer> bound = http.putJson("/v1/users/" + user + "/worker", env.adminToken,
          new JsonObject().put("worker", worker).encode());
      assertEquals(200, bound.statusCode(), bound.bodyAsString());
    }
  }

  @AfterAll
  static void stop() {
    http.close();
    cluster.close();
    env.drop();
  }

  private static List<JsonObject> liveWorkers() {
    JsonObject topology = http.get("/v1/topology", env.adminToken).bodyAsJsonObject();
    return topology.getJsonArray("workers").stream().map(JsonObject.class::cast)
        .filter(w -> "live".equals(w.getString("state"))).toList();
  }

  private static Future<HttpResponse<Buffer>> sendAsync(String from, String token, String to, String level,
      String dataType, String contentType, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    if (from != null) {
      headers.put("USER-AGENT", from);
    }
    if (level != null) {
      headers.put("LEVEL", level);
    }
    if (to != null) {
      headers.put("DES-USER", to);
    }
    return http.sendAsync(HttpMethod.POST, "/v1/send_data/" + dataType, token, contentType,
        body == null ? null : Buffer.buffer(body), headers);
  }

  private static String send(String from, String to, int level, String contentType, byte[] body) {
    HttpResponse<Buffer> r = await(sendAsync(from, tokens.get(from), to, String.valueOf(level), "reading",
        contentType, body));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("taskId");
  }

  private static JsonArray queue(String user, long after) {
    HttpResponse<Buffer> r = http.get("/v1/users/" + user + "/data?after=" + after + "&limit=1000", tokens.get(user));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("records");
  }

  /** Every item of a user's queue, page after page. */
  private static List<JsonObject> allItems(String user) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray page;
    do {
      page = queue(user, out.size());
      out.addAll(items(page));
    } while (!page.isEmpty());
    return out;
  }

  private static List<JsonObject> items(JsonArray records) {
    return records.stream().map(r -> ((JsonObject) r).getJsonObject("payload")).toList();
  }

  @Test
  void a1SendsToB1AtEveryLevelAndB1ReadsTheDataByteExactByCursorAndSseThenAcks() {
    Map<String, byte[]> sent = new LinkedHashMap<>();
    Map<String, String> types = new HashMap<>();
    for (int level = 0; level <= 9; level++) {
      String type = level % 3 == 0 ? "application/json" : level % 3 == 1 ? "text/plain; charset=utf-8"
          : "application/octet-stream";
      byte[] body = level % 3 == 0 ? ("{\"level\":" + level + ",\"ok\":true}").getBytes(StandardCharsets.UTF_8)
          : level % 3 == 1 ? ("näive text " + level).getBytes(StandardCharsets.UTF_8)
          : new byte[] {0, (byte) 0xff, (byte) level, 10, 13, (byte) 0x80};
      String id = send("A1", "B1", level, type, body);
      assertTrue(id.matches(workers.get("d-worker-a") + "_\\d+_\\d{6}"), id);
      sent.put(id, body);
      types.put(id, type);
    }
    Http.awaitCondition(() -> queue("B1", 0).size() == 10, 15_000, "ten items in B1's queue");
    JsonArray records = queue("B1", 0);
    List<String> arrived = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      JsonObject record = records.getJsonObject(i);
      JsonObject item = record.getJsonObject("payload");
      String id = item.getString("taskId");
      arrived.add(id);
      assertEquals(i + 1, record.getLong("cursor"), "dense cursors per user");
      assertEquals("A1", item.getString("sender"));
      assertEquals(types.get(id), item.getString("contentType"));
      assertEquals(sent.get(id).length, item.getInteger("size"));
      byte[] inline = item.containsKey("payload")
          ? item.getValue("payload") instanceof JsonObject o ? o.encode().getBytes(StandardCharsets.UTF_8) : null
          : Base64.getDecoder().decode(item.getString("payloadBase64"));
      if (types.get(id).equals("application/json")) {
        assertEquals(new JsonObject(new String(sent.get(id), StandardCharsets.UTF_8)), item.getJsonObject("payload"));
      } else {
        assertArrayEquals(sent.get(id), inline, "byte-exact inline copy of " + id);
      }
      HttpResponse<Buffer> body = http.get("/v1/users/B1/data/" + record.getLong("cursor") + "/body", tokens.get("B1"));
      assertEquals(200, body.statusCode());
      assertEquals(types.get(id), body.getHeader("Content-Type"));
      assertArrayEquals(sent.get(id), body.body().getBytes(), "byte-exact body of " + id);
    }
    assertEquals(sent.keySet(), new java.util.HashSet<>(arrived), "every task arrived once");

    // The same items over SSE, in the same order; a resume after the third continues exactly.
    try (SseClient sse = new SseClient(cluster.node("d-manage").config().httpPort(), "/v1/users/B1/data/stream?after=0",
        tokens.get("B1"), null)) {
      Http.awaitCondition(() -> sse.ids.size() == 10, 10_000, "ten events");
      assertTrue(sse.sawExactly(1, 10));
    }
    try (SseClient resumed = new SseClient(cluster.node("d-manage").config().httpPort(), "/v1/users/B1/data/stream",
        tokens.get("B1"), "3")) {
      Http.awaitCondition(() -> resumed.ids.size() == 7, 10_000, "seven events after 3");
      assertTrue(resumed.sawExactly(4, 10));
      assertEquals(arrived.get(3), new JsonObject(resumed.data.get(0)).getJsonObject("payload").getString("taskId"));
    }

    HttpResponse<Buffer> ack = http.postJson("/v1/users/B1/data/ack", tokens.get("B1"), "{\"upTo\":10}");
    assertEquals(200, ack.statusCode(), ack.bodyAsString());
    assertEquals(10, ack.bodyAsJsonObject().getInteger("consumed"));
    JsonObject task = http.get("/v1/dispatch/tasks/" + arrived.get(0), tokens.get("A1")).bodyAsJsonObject();
    assertEquals("consumed", task.getString("state"), task.encode());
    assertEquals(1, task.getInteger("attempts"));
    assertTrue(task.getLong("deliveredAt") != null && task.getLong("consumedAt") != null);
    assertEquals("d-worker-b", task.getString("deliveredBy"));
  }

  @Test
  void eachSendDataErrorHasItsStatusAndNamesWhatToFix() {
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);
    String a1 = tokens.get("A1");
    assertError(400, "USER-AGENT", sendAsync(null, a1, "B1", "1", "reading", "text/plain", body));
    assertError(400, "client's own default", sendAsync("curl/8.5.0", a1, "B1", "1", "reading", "text/plain", body));
    assertError(400, "not a user id", sendAsync("nobody", env.adminToken, "B1", "1", "reading", "text/plain", body));
    assertError(403, "USER-AGENT", sendAsync("A1", tokens.get("B1"), "B1", "1", "reading", "text/plain", body));
    assertError(400, "LEVEL", sendAsync("A1", a1, "B1", null, "reading", "text/plain", body));
    assertError(400, "LEVEL", sendAsync("A1", a1, "B1", "high", "reading", "text/plain", body));
    assertError(400, "LEVEL", sendAsync("A1", a1, "B1", "10", "reading", "text/plain", body));
    assertError(404, "DES-USER", sendAsync("A1", a1, "nobody", "1", "reading", "text/plain", body));
    assertError(400, "data_type", sendAsync("A1", a1, "B1", "1", "bad*type", "text/plain", body));
  }

  /**
   * A worker is live in the topology as soon as it registers, and takes tasks only once its
   * address has reached the cluster: a task sent in between waits for it, not refused 503. The
   * worker here is played by the test, which opens its address half a second after the send.
   */
  @Test
  void aTaskSentToAWorkerThatRegisteredButDoesNotYetTakeTasksIsTakenOnceItDoes() {
    int late = await(managementVertx.eventBus().<WorkerRegistered>request(Addresses.DISPATCH_REGISTER,
        new WorkerRegistration("d-worker-late", "http://127.0.0.1:1"))).body().number();
    tokens.put("L1", http.createUser(env.adminToken, "L1"));
    assertEquals(200, http.putJson("/v1/users/L1/worker", env.adminToken,
        new JsonObject().put("worker", late).encode()).statusCode());
    Future<HttpResponse<Buffer>> sent = sendAsync("L1", tokens.get("L1"), "B1", "3", "reading", "text/plain",
        "late".getBytes(StandardCharsets.UTF_8));
    Promise<Submit> taken = Promise.promise();
    managementVertx.setTimer(500, t -> managementVertx.eventBus().<Submit>consumer(Addresses.dispatchSubmit(late),
        m -> {
          taken.tryComplete(m.body());
          m.reply(new Accepted(late + "_1_000001"));
        }));
    HttpResponse<Buffer> answer = await(sent);
    assertEquals(202, answer.statusCode(), answer.bodyAsString());
    assertEquals(late + "_1_000001", answer.bodyAsJsonObject().getString("taskId"));
    assertEquals("B1", await(taken.future()).dest());
  }

  private static void assertError(int status, String named, Future<HttpResponse<Buffer>> answer) {
    HttpResponse<Buffer> r = await(answer);
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject();
    assertTrue(error.containsKey("error") && error.getString("message").contains(named), r.bodyAsString());
  }

  @Test
  void anotherUsersTokenCannotReadOrAckAQueue() {
    String a1 = tokens.get("A1");
    assertEquals(403, http.get("/v1/users/B1/data?after=0", a1).statusCode());
    assertEquals(403, http.get("/v1/users/B1/data/stream", a1).statusCode());
    assertEquals(403, http.postJson("/v1/users/B1/data/ack", a1, "{\"upTo\":1}").statusCode());
    assertEquals(403, http.get("/v1/users/B1/data/1/body", a1).statusCode());
    assertEquals(400, http.postJson("/v1/users/B1/data/ack", tokens.get("B1"), "{\"upTo\":-1}").statusCode());
  }

  @Test
  void aRedisFlushBetweenDeliveryAndReadLosesNothing() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(send("A1", "B2", 3, "application/json", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    Http.awaitCondition(() -> ids.stream().allMatch(id -> "delivered".equals(
        http.get("/v1/dispatch/tasks/" + id, tokens.get("A1")).bodyAsJsonObject().getString("state"))), 15_000,
        "five tasks delivered");
    Redis redis = Redis.createClient(cluster.node("d-manage").vertx(), TestEnv.REDIS_URL);
    try {
      await(redis.send(Request.cmd(Command.DEL).arg(new CacheKeys(env.redisPrefix).userQueue("B2"))));
    } finally {
      redis.close();
    }
    assertEquals(ids, items(queue("B2", 0)).stream().map(i -> i.getString("taskId")).sorted(
        java.util.Comparator.comparing(ids::indexOf)).toList());
    assertEquals(5, queue("B2", 0).size());
  }

  /**
   * D4, D6: with B's worker down, 1,000 tasks of level 9 and then 10 of level 0 wait at A; when B
   * is back, the level-0 tasks arrive first.
   */
  @Test
  void levelZeroOvertakesALevelNineBacklogWhenTheDestinationComesBack() {
    await(cluster.node("d-worker-b").stop());
    List<String> low = sendMany("B3", 1_000, 9);
    List<String> urgent = sendMany("B3", 10, 0);
    Http.awaitCondition(() -> !tasks("state=retrying&dest=B3").isEmpty(), 15_000, "tasks retrying toward B");
    cluster.restart("d-worker-b");
    Http.awaitCondition(() -> allItems("B3").size() == 1_010, 60_000, "all 1,010 delivered");
    List<String> order = allItems("B3").stream().map(i -> i.getString("taskId")).toList();
    assertEquals(new java.util.HashSet<>(urgent), new java.util.HashSet<>(order.subList(0, 10)),
        "the ten level-0 tasks come first: " + order.subList(0, 12));
    assertEquals(new java.util.HashSet<>(low), new java.util.HashSet<>(order.subList(10, 1_010)));
  }

  /**
   * D6, X5: B's worker down while A1 sends 1,000 tasks; A's worker is killed with them waiting
   * and started again, then B comes back: every task arrives exactly once, and the records show
   * the retries.
   */
  @Test
  void tasksWaitingForADownWorkerSurviveTheSendersCrashAndArriveExactlyOnce() {
    await(cluster.node("d-worker-b").stop());
    List<String> ids = sendMany("B4", 1_000, 5);
    Http.awaitCondition(() -> tasks("state=retrying&dest=B4&limit=1000").size() == 1_000, 30_000,
        "all 1,000 retrying");
    Cluster.crash(cluster.node("d-worker-a"));
    cluster.restart("d-worker-a");
    cluster.restart("d-worker-b");
    Http.awaitCondition(() -> allItems("B4").size() >= 1_000, 60_000, "1,000 delivered");
    List<String> arrived = allItems("B4").stream().map(i -> i.getString("taskId")).toList();
    assertEquals(1_000, arrived.size(), "nothing twice");
    assertEquals(new java.util.HashSet<>(ids), new java.util.HashSet<>(arrived), "nothing lost");
    JsonObject task = http.get("/v1/dispatch/tasks/" + ids.get(0), env.adminToken).bodyAsJsonObject();
    assertEquals("delivered", task.getString("state"), task.encode());
    assertTrue(task.getJsonArray("failedAttempts").size() >= 1, task.encode());
    assertTrue(task.getInteger("attempts") >= 2, task.encode());
    // The restarted worker takes new tasks again, once the cluster has seen it come back.
    Http.awaitCondition(() -> await(sendAsync("A1", tokens.get("A1"), "B4", "1", "reading", "text/plain",
        "after".getBytes(StandardCharsets.UTF_8))).statusCode() == 202, 30_000, "send_data through the restarted worker");
    int failures = task.getJsonArray("failedAttempts").size();
    assertEquals(failures >= 3, task.getBoolean("flagged"), "flagged once it failed dispatch-retry-flag times");
  }

  /** Sends {@code count} small JSON tasks from A1, at most 32 at once; answers their ids in send order. */
  private static List<String> sendMany(String to, int count, int level) {
    List<String> ids = new ArrayList<>();
    for (int start = 0; start < count; start += 32) {
      List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + 32); i++) {
        batch.add(sendAsync("A1", tokens.get("A1"), to, String.valueOf(level), "reading", "application/json",
            ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
      }
      for (Future<HttpResponse<Buffer>> f : batch) {
        HttpResponse<Buffer> r = await(f);
        assertEquals(202, r.statusCode(), r.bodyAsString());
        ids.add(r.bodyAsJsonObject().getString("taskId"));
      }
    }
    return ids;
  }

  private static List<JsonObject> tasks(String query) {
    HttpResponse<Buffer> r = http.get("/v1/dispatch/tasks?" + query, env.adminToken);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("tasks").stream().map(JsonObject.class::cast).toList();
  }
}
