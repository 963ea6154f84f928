package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;
import tributary.processing.AggregateWindowStore;
import tributary.store.Pg;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;
import verticles.CoreProcessingVerticle;

/** The data path of SPEC section E on one all-roles node over the real PostgreSQL and Redis. */
class PipelineIntegrationTest {
  private static TestNode testNode;
  private static TestEnv env;
  private static Node node;
  private static Http http;
  private static String token;
  private static Vertx hooks;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("pipe-node", Map.of());
    env = testNode.env;
    node = testNode.node;
    http = testNode.http;
    token = http.createUser(env.adminToken, "plant-operator");
    hooks = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(hooks.close());
    testNode.close();
  }

  private static HttpResponse<Buffer> post(String channel, String contentType, String body) {
    return http.send(HttpMethod.POST, "/v1/channels/" + channel + "/records", token, contentType, body);
  }

  private static JsonArray records(String path) {
    HttpResponse<Buffer> r = http.get(path, token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("records");
  }

  @Test
  void aBatchOfAThousandGetsDenseCursorsInOrder() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      body.append("{\"payload\":{\"i\":").append(i).append("}}\n");
    }
    HttpResponse<Buffer> r = post("bulk", "application/x-ndjson", body.toString());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    JsonArray acks = r.bodyAsJsonObject().getJsonArray("records");
    for (int i = 0; i < 1000; i++) {
      assertEquals(i + 1, acks.getJsonObject(i).getLong("cursor"));
    }
    JsonArray stored = records("/v1/channels/bulk/records?after=0&limit=1000");
    assertEquals(1000, stored.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, stored.getJsonObject(i).getJsonObject("payload").getInteger("i"));
      assertEquals(acks.getJsonObject(i).getString("id"), stored.getJsonObject(i).getString("id"));
    }
  }

  @Test
  void anEdgeRefusesTypesItIsNotPermittedAndUsesItsDefaultPriority() {
    HttpResponse<Buffer> grant = http.putJson("/v1/nodes/pipe-node/grant", env.adminToken,
        "{\"permittedTypes\":[\"meter\"],\"defaultPriority\":2}");
    assertEquals(200, grant.statusCode(), grant.bodyAsString());
    try {
      HttpResponse<Buffer> refused = post("grants", "application/json", "{\"type\":\"camera\",\"payload\":1}");
      assertEquals(403, refused.statusCode());
      assertEquals("forbidden", refused.bodyAsJsonObject().getString("error"));
      assertEquals(202, post("grants", "application/json", "{\"type\":\"meter\",\"payload\":1}").statusCode());
      assertEquals(2, records("/v1/channels/grants/records?after=0").getJsonObject(0).getInteger("priority"));
      assertEquals(403, http.putJson("/v1/nodes/pipe-node/grant", token, "{}").statusCode(), "admins only");
    } finally {
      http.putJson("/v1/nodes/pipe-node/grant", env.adminToken, "{\"permittedTypes\":[],\"defaultPriority\":5}");
    }
  }

  @Test
  void aRecordsPlacementIsQueryable() throws Exception {
    String id = post("placed", "application/json", "{\"payload\":{\"v\":1}}").bodyAsJsonObject()
        .getJsonArray("records").getJsonObject(0).getString("id");
    HttpResponse<Buffer> r = http.get("/v1/records/" + id + "/placement", token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject copy = r.bodyAsJsonObject().getJsonArray("copies").getJsonObject(0);
    assertEquals("postgresql", copy.getString("store"));
    assertEquals("records/placed/1", copy.getString("location"));
    assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest("{\"v\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))), copy.getString("sha256"));
    assertEquals(404, http.get("/v1/records/" + UUID.randomUUID() + "/placement", token).statusCode());
  }

  @Test
  void resultChannelsAreWrittenOnlyByCore() {
    HttpResponse<Buffer> r = post("boiler.results", "application/json", "{\"payload\":1}");
    assertEquals(403, r.statusCode());
  }

  @Test
  void processorsValidateRaiseAlertsAndAggregateWindows() {
    String config = "{\"fields\":{\"t\":{\"type\":\"number\",\"required\":true}},"
        + "\"thresholds\":[{\"field\":\"t\",\"above\":80,\"severity\":\"high\"}],"
        + "\"aggregate\":{\"fields\":[\"t\"],\"windowMs\":500}}";
    assertEquals(200, http.putJson("/v1/processors/boiler-temp", env.adminToken, config).statusCode());
    assertEquals(400, http.putJson("/v1/processors/bad", env.adminToken, "{\"aggregate\":{}}").statusCode());
    // The configuration reaches core through a notice; wait until a record without t is refused.
    Http.awaitCondition(() -> post("probe", "application/json", "{\"type\":\"boiler-temp\",\"payload\":{}}")
        .statusCode() == 400, 10_000, "processing configuration applied");

    HttpResponse<Buffer> bad = post("boiler", "application/x-ndjson",
        "{\"type\":\"boiler-temp\",\"payload\":{\"t\":1}}\n{\"type\":\"boiler-temp\",\"payload\":{\"x\":1}}\n");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("message").startsWith("record 2"), bad.bodyAsString());
    assertTrue(records("/v1/channels/boiler/records?after=0").isEmpty(), "nothing of a refused batch is stored");

    List<JsonObject> exported = new CopyOnWriteArrayList<>();
    HttpServer resultHook = receiver(new AtomicInteger(0), exported, new AtomicInteger());
    assertEquals(201, http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "boiler-results")
        .put("url", "http://127.0.0.1:" + resultHook.actualPort() + "/").put("dataType", "boiler-temp")
        .put("include", "results").put("backoffMs", 20).encode()).statusCode());

    StringBuilder body = new StringBuilder();
    double[] values = {70, 90, 75, 4, 100};
    for (double v : values) {
      body.append("{\"type\":\"boiler-temp\",\"payload\":{\"t\":\"").append(v).append("\"}}\n");
    }
    HttpResponse<Buffer> ok = post("boiler", "application/x-ndjson", body.toString());
    assertEquals(202, ok.statusCode(), ok.bodyAsString());
    JsonArray acks = ok.bodyAsJsonObject().getJsonArray("records");
    String hotId = acks.getJsonObject(1).getString("id");

    JsonArray stored = records("/v1/channels/boiler/records?after=0");
    assertEquals(90.0, stored.getJsonObject(1).getJsonObject("payload").getDouble("t"), "normalised to a number");

    JsonArray alerts = records("/v1/channels/boiler.results/records?after=0");
    assertEquals(2, alerts.size(), alerts.encode());
    JsonObject alert = alerts.getJsonObject(0).getJsonObject("payload");
    assertEquals("alert", alert.getString("kind"));
    assertEquals(List.of(hotId), alert.getJsonArray("inputs").getList());
    JsonArray edgeFeed = records("/v1/edge/results?after=0");
    assertTrue(edgeFeed.stream().map(JsonObject.class::cast)
        .anyMatch(r -> r.getJsonObject("payload").getJsonArray("inputs").contains(hotId)), "results return to the edge");

    Http.awaitCondition(() -> records("/v1/channels/boiler.results/records?after=2").size() == 1, 10_000,
        "aggregate window closed");
    JsonObject aggregate = records("/v1/channels/boiler.results/records?after=2").getJsonObject(0).getJsonObject("payload");
    assertEquals("aggregate", aggregate.getString("kind"));
    JsonObject stats = aggregate.getJsonObject("fields").getJsonObject("t");
    int inWindow = aggregate.getJsonArray("inputs").size();
    assertEquals(5, inWindow, "all five inputs committed in one transaction share a window: " + aggregate.encode());
    assertEquals(4.0, stats.getDouble("min"));
    assertEquals(100.0, stats.getDouble("max"));
    assertEquals(67.8, stats.getDouble("mean"), 1e-9);
    assertEquals(100.0, stats.getDouble("p95"));

    Set<String> results = records("/v1/channels/boiler.results/records?after=0").stream()
        .map(r -> ((JsonObject) r).getString("id")).collect(Collectors.toSet());
    Http.awaitCondition(() -> deliveredIds(exported).containsAll(results), 15_000, "results exported");
    assertEquals(results, deliveredIds(exported), "a results sink on the input type gets results only");
    assertEquals(204, http.send(HttpMethod.DELETE, "/v1/sinks/boiler-results", env.adminToken, null, null)
        .statusCode());
    await(resultHook.close());
  }

  @Test
  void anInputThatWaitedInCoreCountsInTheWindowOfItsCommit() {
    // E5: a record belongs to the aggregate window of its commit time. One that waits in core behind
    // its channel's statement past a window's end must still be counted, exactly once.
    String config = "{\"fields\":{\"t\":{\"type\":\"number\",\"required\":true}},"
        + "\"aggregate\":{\"fields\":[\"t\"],\"windowMs\":200}}";
    assertEquals(200, http.putJson("/v1/processors/kiln-temp", env.adminToken, config).statusCode());
    Http.awaitCondition(() -> post("kiln-probe", "application/json", "{\"type\":\"kiln-temp\",\"payload\":{}}")
        .statusCode() == 400, 10_000, "processing configuration applied");
    String reading = "{\"type\":\"kiln-temp\",\"payload\":{\"t\":5}}";
    HttpResponse<Buffer> first = post("kiln", "application/json", reading);
    assertEquals(202, first.statusCode(), first.bodyAsString());
    Pool pool = Pg.pool(hooks, env.config("kiln-holder"));
    try {
      // Hold the channel's cursor row: the next append waits on it in its statement, and the one
      // after it waits in core's lanes, planned but not yet stamped.
      SqlConnection holder = await(pool.getConnection());
      Transaction tx = await(holder.begin());
      await(holder.query("SELECT 1 FROM channels WHERE channel = 'kiln' FOR UPDATE").execute());
      int holderPid = await(holder.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0);
      double forwarded = gatewayForwards();
      Future<HttpResponse<Buffer>> held = http.sendAsync(HttpMethod.POST, "/v1/channels/kiln/records", token,
          "application/json", reading);
      Http.awaitCondition(() -> await(pool.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY"
              + "(pg_blocking_pids(pid))").execute(Tuple.of(holderPid))).iterator().next().getLong(0) == 1, 10_000,
          "the second append waiting on the held row");
      Future<HttpResponse<Buffer>> waiting = http.sendAsync(HttpMethod.POST, "/v1/channels/kiln/records", token,
          "application/json", reading);
      Http.awaitCondition(() -> gatewayForwards() >= forwarded + 2, 10_000, "the third post forwarded to core");
      // The third post's plan was made by now; release the row only once the clock has left the
      // window after the one it was planned in, so its commit falls in a later window.
      long releaseAfter = AggregateWindowStore.Window.startOf(System.currentTimeMillis(), 200) + 400;
      Http.awaitCondition(() -> System.currentTimeMillis() >= releaseAfter, 10_000, "two windows later");
      await(tx.rollback());
      await(holder.close());
      assertEquals(202, await(held).statusCode());
      assertEquals(202, await(waiting).statusCode());
    } finally {
      await(pool.close());
    }
    Http.awaitCondition(() -> aggregatedInputs("kiln.results").size() >= 3, 10_000,
        "every input counted in an aggregate window");
    List<String> counted = aggregatedInputs("kiln.results");
    assertEquals(3, counted.size(), "each input counted once: " + counted);
    assertEquals(3, Set.copyOf(counted).size(), "each input counted once: " + counted);
  }

  /** The batches the gateway has forwarded to core, from its queue-wait timer. */
  private static double gatewayForwards() {
    return http.metric(env.adminToken, "tributary_gateway_queue_wait_seconds_count");
  }

  /** The input ids of every aggregate result on {@code channel}, with repeats. */
  private static List<String> aggregatedInputs(String channel) {
    return records("/v1/channels/" + channel + "/records?after=0").stream().map(JsonObject.class::cast)
        .map(r -> r.getJsonObject("payload"))
        .filter(p -> "aggregate".equals(p.getString("kind")))
        .flatMap(p -> p.getJsonArray("inputs").stream().map(String.class::cast))
        .toList();
  }

  /** A local webhook receiver that answers 500 while {@code failuresLeft} is above zero, counting it down. */
  private static HttpServer receiver(AtomicInteger failuresLeft, List<JsonObject> received, AtomicInteger requests) {
    return await(hooks.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      requests.incrementAndGet();
      if (failuresLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : n - 1) > 0) {
        req.response().setStatusCode(500).end();
      } else {
        received.add(b.toJsonObject());
        req.response().setStatusCode(204).end();
      }
    })).listen(0, "127.0.0.1"));
  }

  @Test
  void webhooksRetryUntilDeliveredAndDeadLetterAfterTheLimitThenReplay() {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer flaky = receiver(new AtomicInteger(2), received, requests);
    HttpResponse<Buffer> created = http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "flaky")
        .put("url", "http://127.0.0.1:" + flaky.actualPort() + "/hook").put("channel", "hooked").put("include", "raw")
        .put("maxAttempts", 5).put("backoffMs", 50).encode());
    assertEquals(201, created.statusCode(), created.bodyAsString());

    Set<String> posted = ConcurrentHashMap.newKeySet();
    Http.awaitCondition(() -> {
      posted.add(post("hooked", "application/json", "{\"payload\":1}").bodyAsJsonObject().getJsonArray("records")
          .getJsonObject(0).getString("id"));
      return !received.isEmpty();
    }, 15_000, "first webhook delivery");
    Http.awaitCondition(() -> deliveredIds(received).containsAll(posted), 15_000, "every posted record delivered");
    assertTrue(requests.get() >= 3, "two failures were retried");

    AtomicInteger deadRequests = new AtomicInteger();
    List<JsonObject> deadReceived = new CopyOnWriteArrayList<>();
    HttpServer down = receiver(new AtomicInteger(Integer.MAX_VALUE), deadReceived, deadRequests);
    assertEquals(201, http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "down")
        .put("url", "http://127.0.0.1:" + down.actualPort() + "/").put("channel", "doomed").put("maxAttempts", 2)
        .put("backoffMs", 20).encode()).statusCode());
    Http.awaitCondition(() -> {
      post("doomed", "application/json", "{\"payload\":2}");
      return deadLetters("down").size() > 0;
    }, 15_000, "a dead letter");
    JsonObject letter = deadLetters("down").getJsonObject(0);
    assertEquals(2, letter.getInteger("attempts"));
    assertEquals("HTTP 500", letter.getString("lastError"));

    await(down.close());
    HttpServer back = receiver(new AtomicInteger(0), deadReceived, new AtomicInteger());
    assertEquals(204, http.send(HttpMethod.DELETE, "/v1/sinks/down", env.adminToken, null, null).statusCode());
    assertEquals(201, http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "down-again")
        .put("url", "http://127.0.0.1:" + back.actualPort() + "/").put("channel", "never").encode()).statusCode());
    assertEquals(0, deadLetters("down").size(), "deleting a sink drops its outbox");
    assertEquals(0, http.postJson("/v1/sinks/flaky/dead-letters/replay", env.adminToken, "{}").bodyAsJsonObject()
        .getInteger("replayed"));
  }

  @Test
  void deadLettersAreReplayed() {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
    HttpServer server = receiver(failuresLeft, received, requests);
    assertEquals(201, http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "replayable")
        .put("url", "http://127.0.0.1:" + server.actualPort() + "/").put("channel", "replays").put("maxAttempts", 1)
        .put("backoffMs", 20).encode()).statusCode());
    Http.awaitCondition(() -> {
      post("replays", "application/json", "{\"payload\":3}");
      return deadLetters("replayable").size() > 0;
    }, 15_000, "a dead letter");
    int dead = deadLetters("replayable").size();
    failuresLeft.set(0);
    JsonObject replayed = http.postJson("/v1/sinks/replayable/dead-letters/replay", env.adminToken, "{}")
        .bodyAsJsonObject();
    assertTrue(replayed.getInteger("replayed") >= dead, replayed.encode());
    Http.awaitCondition(() -> deliveredIds(received).size() >= dead, 15_000, "replayed letters delivered");
    Http.awaitCondition(() -> deadLetters("replayable").isEmpty(), 15_000, "dead-letter list emptied");
  }

  private static JsonArray deadLetters(String sinkId) {
    HttpResponse<Buffer> r = http.get("/v1/sinks/" + sinkId + "/dead-letters", env.adminToken);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("deadLetters");
  }

  private static Set<String> deliveredIds(List<JsonObject> batches) {
    return batches.stream().flatMap(b -> b.getJsonArray("records").stream())
        .map(r -> ((JsonObject) r).getString("id")).collect(Collectors.toSet());
  }

  @Test
  void fullGatewayQueuesAnswer429WithRetryAfterAndLoseNothingAcknowledged() {
    // A node with a gateway but no core yet, and room for one batch per priority level.
    Map<String, String> settings = env.settings("pressure-node");
    settings.put("roles", "edge,gateway,cache,management,console");
    settings.put("gateway-queue-capacity", "1");
    settings.put("forward-timeout-ms", "3000");
    Node pressured = await(Node.start(NodeConfig.from(settings)));
    try (Http edge = new Http(pressured.config().httpPort())) {
      edge.awaitReady(30_000);
      List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        posts.add(edge.sendAsync(HttpMethod.POST, "/v1/channels/pressure/records", token, "application/json",
            "{\"payload\":\"p" + i + "\",\"priority\":3}"));
      }
      Http.awaitCondition(() -> posts.stream().anyMatch(f -> f.succeeded() && f.result().statusCode() == 429),
          10_000, "a 429 while the queue is full");
      HttpResponse<Buffer> refused = posts.stream().filter(f -> f.succeeded() && f.result().statusCode() == 429)
          .findFirst().orElseThrow().result();
      assertEquals("1", refused.getHeader("Retry-After"));
      assertEquals("too_many_requests", refused.bodyAsJsonObject().getString("error"));

      // Core arrives: what waited in the queue is committed and acknowledged.
      await(pressured.vertx().deployVerticle(CoreProcessingVerticle::new,
          new DeploymentOptions().setConfig(pressured.config().toJson())));
      await(Future.join(new ArrayList<>(posts)).otherwiseEmpty());
      JsonArray stored = edge.get("/v1/channels/pressure/records?after=0", token).bodyAsJsonObject()
          .getJsonArray("records");
      List<String> storedPayloads = stored.stream().map(r -> ((JsonObject) r).getString("payload")).toList();
      int accepted = 0;
      for (int i = 0; i < posts.size(); i++) {
        int status = posts.get(i).result().statusCode();
        String payload = "p" + i;
        if (status == 202) {
          accepted++;
          assertEquals(1, storedPayloads.stream().filter(payload::equals).count(), "acknowledged once: " + payload);
        } else if (status == 429) {
          assertTrue(!storedPayloads.contains(payload), "a refused record is not stored: " + payload);
        }
      }
      assertTrue(accepted >= 1, "the queued record was acknowledged once core came");
    } finally {
      await(pressured.stop());
    }
  }
}
