package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.TestNode;

/** E6: results pushed to the edge's own hook, in order, each once, through the hook's refusals. */
class EdgeResultHookIntegrationTest {
  private static List<Object> alertedInputs(List<JsonObject> results) {
    return results.stream().flatMap(r -> r.getJsonObject("payload").getJsonArray("inputs").stream()).toList();
  }

  @Test
  void everyResultAddressedToTheEdgeReachesItsHookInOrderThroughRefusals() {
    Vertx vertx = Vertx.vertx();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    AtomicInteger refusalsLeft = new AtomicInteger(2);
    AtomicInteger requests = new AtomicInteger();
    HttpServer hook = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      requests.incrementAndGet();
      if (refusalsLeft.getAndDecrement() > 0) {
        request.response().setStatusCode(503).end();
        return;
      }
      JsonObject batch = body.toJsonObject();
      batch.getJsonArray("results").forEach(r -> received.add((JsonObject) r));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
    try (TestNode node = TestNode.start("hook-edge",
        Map.of("edge-result-hook", "http://127.0.0.1:" + hook.actualPort() + "/results"))) {
      Http http = node.http;
      String admin = node.env.adminToken;
      assertEquals(200, http.putJson("/v1/processors/hook-temp", admin,
          "{\"thresholds\":[{\"field\":\"t\",\"above\":80,\"severity\":\"high\"}]}").statusCode());
      String user = http.createUser(admin, "hook-user");
      // Configuration reaches core through a notice: post until a record raises its alert.
      Http.awaitCondition(() -> {
        http.postJson("/v1/channels/probe/records", user, "{\"type\":\"hook-temp\",\"payload\":{\"t\":99}}");
        return !received.isEmpty();
      }, 20_000, "the first alert at the hook");
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        batch.append("{\"type\":\"hook-temp\",\"payload\":{\"t\":").append(81 + i).append("}}\n");
      }
      var accepted = http.send(io.vertx.core.http.HttpMethod.POST, "/v1/channels/boiler/records", user,
          "application/x-ndjson", batch.toString());
      assertEquals(202, accepted.statusCode());
      List<String> inputs = accepted.bodyAsJsonObject().getJsonArray("records").stream()
          .map(r -> ((JsonObject) r).getString("id")).toList();
      Http.awaitCondition(() -> alertedInputs(received).containsAll(inputs), 20_000, "an alert for each of the 30 at the hook");

      List<Long> cursors = received.stream().map(r -> r.getLong("cursor")).toList();
      assertEquals(LongStream.rangeClosed(1, cursors.size()).boxed().toList(), cursors,
          "every result once, in cursor order, after two refused attempts");
      assertEquals(true, requests.get() >= 3, "the refused batch was sent again");
    } finally {
      await(vertx.close());
    }
  }

  /** A hook that takes every batch and keeps the results' cursors. */
  private static HttpServer takingHook(Vertx vertx, List<Long> cursors) {
    return await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      body.toJsonObject().getJsonArray("results").forEach(r -> cursors.add(((JsonObject) r).getLong("cursor")));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
  }

  @Test
  void aHookSetByTheEdgesGrantTakesOverAfterTheLastCursorTheOldHookTook() {
    Vertx vertx = Vertx.vertx();
    List<Long> first = new CopyOnWriteArrayList<>();
    List<Long> second = new CopyOnWriteArrayList<>();
    HttpServer firstHook = takingHook(vertx, first);
    HttpServer secondHook = takingHook(vertx, second);
    try (TestNode node = TestNode.start("grant-hook-edge", Map.of())) {
      Http http = node.http;
      String admin = node.env.adminToken;
      assertEquals(200, http.putJson("/v1/processors/grant-temp", admin,
          "{\"thresholds\":[{\"field\":\"t\",\"above\":80,\"severity\":\"high\"}]}").statusCode());
      String user = http.createUser(admin, "grant-hook-user");
      var set = http.putJson("/v1/nodes/grant-hook-edge/grant", admin,
          "{\"resultHook\":\"http://127.0.0.1:" + firstHook.actualPort() + "/in\"}");
      assertEquals(200, set.statusCode());
      assertEquals("http://127.0.0.1:" + firstHook.actualPort() + "/in",
          http.get("/v1/nodes/grant-hook-edge/grant", admin).bodyAsJsonObject().getString("resultHook"));
      Http.awaitCondition(() -> {
        http.postJson("/v1/channels/g1/records", user, "{\"type\":\"grant-temp\",\"payload\":{\"t\":99}}");
        return !first.isEmpty();
      }, 20_000, "a result at the hook the grant names (the node has no edge-result-hook option)");

      assertEquals(200, http.putJson("/v1/nodes/grant-hook-edge/grant", admin,
          "{\"resultHook\":\"http://127.0.0.1:" + secondHook.actualPort() + "/in\"}").statusCode());
      Http.awaitCondition(() -> {
        http.postJson("/v1/channels/g2/records", user, "{\"type\":\"grant-temp\",\"payload\":{\"t\":99}}");
        return !second.isEmpty();
      }, 20_000, "a result at the hook the changed grant names");
      List<Long> all = new java.util.ArrayList<>(first);
      all.addAll(second);
      assertEquals(LongStream.rangeClosed(1, all.size()).boxed().toList(), all,
          "the second hook starts right after the last cursor the first took: none twice, none skipped");
    } finally {
      await(vertx.close());
    }
  }
}
