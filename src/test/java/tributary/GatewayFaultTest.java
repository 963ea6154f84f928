package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * E4, X5: three clustered nodes, two of them gateways. While clients stream records in, one
 * gateway crashes; every acknowledged record is in its channel exactly once, in cursor order, and
 * the edge keeps accepting within seconds.
 */
class GatewayFaultTest {
  private static final int WRITERS = 4;

  @Test
  void gatewayLossLosesNoAcknowledgedRecord() throws Exception {
    TestEnv env = new TestEnv();
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("fault-edge", "edge,console,management,cache");
    roles.put("fault-gw-1", "gateway");
    roles.put("fault-gw-2", "gateway,core");
    Vertx clients = Vertx.vertx();
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, Map.of("forward-timeout-ms", "1000"));
      int port = nodes.get(0).config().httpPort();
      String token;
      try (Http http = new Http(port)) {
        http.awaitReady(30_000);
        token = http.createUser(env.adminToken, "streamer");
      }
      WebClient client = WebClient.create(clients);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong longestWaitMs = new AtomicLong();
      for (int w = 0; w < WRITERS; w++) {
        writeLoop(client, port, token, acknowledged, longestWaitMs, running);
      }
      Http.awaitCondition(() -> acknowledged.size() >= 200, 30_000, "records flowing before the crash");

      Cluster.crash(nodes.get(1));
      int before = acknowledged.size();
      Http.awaitCondition(() -> acknowledged.size() >= before + 200, 20_000, "records flowing after the crash");
      running.set(false);
      Http.awaitCondition(() -> inFlight.get() == 0, 30_000, "writers finished");

      try (Http http = new Http(port)) {
        List<String> ids = new ArrayList<>();
        long after = 0;
        while (true) {
          JsonObject page = http.get("/v1/channels/stream/records?after=" + after + "&limit=1000", token)
              .bodyAsJsonObject();
          JsonArray records = page.getJsonArray("records");
          if (records.isEmpty()) {
            break;
          }
          for (int i = 0; i < records.size(); i++) {
            JsonObject r = records.getJsonObject(i);
            assertEquals(after + i + 1, r.getLong("cursor"), "cursors are dense and in order");
            ids.add(r.getString("id"));
          }
          after = page.getLong("next");
        }
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no record twice");
        assertTrue(ids.containsAll(acknowledged), "every acknowledged record is stored");
        System.out.printf("gateway fault: %d acknowledged, %d stored, longest wait for an acknowledgement %d ms%n",
            acknowledged.size(), ids.size(), longestWaitMs.get());
        assertTrue(longestWaitMs.get() < 10_000, "the edge fails over within seconds: " + longestWaitMs.get() + " ms");
      }
    } finally {
      clients.close().toCompletionStage().toCompletableFuture().get();
      env.drop();
    }
  }

  private static final AtomicLong inFlight = new AtomicLong();

  /** Posts records one after another; a failed post is retried with the same id, as a careful client does. */
  private static void writeLoop(WebClient client, int port, String token, Set<String> acknowledged,
      AtomicLong longestWaitMs, AtomicBoolean running) {
    if (!running.get()) {
      return;
    }
    post(client, port, token, UUID.randomUUID().toString(), System.currentTimeMillis(), acknowledged, longestWaitMs,
        running);
  }

  private static void post(WebClient client, int port, String token, String id, long firstTry, Set<String> acknowledged,
      AtomicLong longestWaitMs, AtomicBoolean running) {
    inFlight.incrementAndGet();
    client.post(port, "127.0.0.1", "/v1/channels/stream/records")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"id\":\"" + id + "\",\"payload\":{\"n\":1}}"))
        .onComplete(ar -> {
          inFlight.decrementAndGet();
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            acknowledged.add(id);
            longestWaitMs.accumulateAndGet(System.currentTimeMillis() - firstTry, Math::max);
            writeLoop(client, port, token, acknowledged, longestWaitMs, running);
          } else if (running.get()) {
            post(client, port, token, id, firstTry, acknowledged, longestWaitMs, running);
          }
        });
  }
}
