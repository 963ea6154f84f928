package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/** Q3, Q6: live streams over SSE on one all-roles node with small stream limits. */
class ChannelStreamIntegrationTest {
  private static TestNode testNode;
  private static TestEnv env;
  private static Node node;
  private static Http http;
  private static String token;
  private static int port;

  @BeforeAll
  static void start() {
    testNode = TestNode.start("stream-node", Map.of("sse-heartbeat-ms", "200", "sse-buffer-bytes", "4096", "sse-stall-ms", "500",
        "max-connections", "12"));
    env = testNode.env;
    node = testNode.node;
    http = testNode.http;
    port = node.config().httpPort();
    token = http.createUser(env.adminToken, "watcher");
  }

  @AfterAll
  static void stop() {
    testNode.close();
  }

  private static void post(String channel, int count) {
    post(channel, count, 150);
  }

  private static void post(String channel, int count, int padding) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < count; i++) {
      body.append("{\"payload\":{\"i\":").append(i).append(",\"pad\":\"").append("x".repeat(padding))
          .append("\"}}\n");
    }
    HttpResponse<Buffer> r = http.send(io.vertx.core.http.HttpMethod.POST, "/v1/channels/" + channel + "/records",
        token, "application/x-ndjson", body.toString());
    assertEquals(202, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aStreamDeliversHistoryThenLiveRecordsEachOnceInOrder() {
    post("live", 5);
    try (SseClient sse = new SseClient(port, "/v1/channels/live/stream?after=0", token, null)) {
      assertEquals(200, sse.status);
      Http.awaitCondition(() -> sse.ids.size() >= 5, 10_000, "history");
      post("live", 5);
      Http.awaitCondition(() -> sse.ids.size() >= 10, 10_000, "live records");
      assertTrue(sse.sawExactly(1, 10), "ids " + sse.ids);
      assertEquals("record", sse.events.get(0));
      assertEquals(1, new JsonObject(sse.data.get(0)).getLong("cursor"));
      Http.awaitCondition(() -> sse.comments.contains(": ping"), 5_000, "heartbeat comment");
    }
  }

  @Test
  void lastEventIdResumesExactlyAfterIt() {
    post("resume", 12);
    try (SseClient sse = new SseClient(port, "/v1/channels/resume/stream", token, "7")) {
      Http.awaitCondition(() -> sse.ids.size() >= 5, 10_000, "records after 7");
      post("resume", 3);
      Http.awaitCondition(() -> sse.ids.size() >= 8, 10_000, "live records after resuming");
      assertTrue(sse.sawExactly(8, 15), "ids " + sse.ids);
    }
  }

  @Test
  void withoutACursorOnlyNewRecordsArrive() {
    post("fresh", 4);
    try (SseClient sse = new SseClient(port, "/v1/channels/fresh/stream", token, null)) {
      Http.awaitCondition(() -> !sse.comments.isEmpty(), 5_000, "stream open");
      post("fresh", 2);
      Http.awaitCondition(() -> sse.ids.size() >= 2, 10_000, "new records");
      assertTrue(sse.sawExactly(5, 6), "ids " + sse.ids);
    }
  }

  @Test
  void browsersMayPassTheTokenInTheQuery() {
    try (SseClient sse = new SseClient(port, "/v1/channels/q/stream?after=0&access_token=" + token, null, null)) {
      assertEquals(200, sse.status);
    }
    HttpResponse<Buffer> posted = http.send(io.vertx.core.http.HttpMethod.POST,
        "/v1/channels/q/records?access_token=" + token, null, "application/json", "{\"payload\":1}");
    assertEquals(401, posted.statusCode(), "only reads take a query token");
  }

  @Test
  void edgeResultsStreamLive() {
    assertEquals(200, http.putJson("/v1/processors/gauge", env.adminToken,
        "{\"thresholds\":[{\"field\":\"p\",\"above\":10}]}").statusCode());
    Http.awaitCondition(() -> {
      http.postJson("/v1/channels/probe/records", token, "{\"type\":\"gauge\",\"payload\":{\"p\":11}}");
      return !http.get("/v1/channels/probe.results/records?after=0", token).bodyAsJsonObject()
          .getJsonArray("records").isEmpty();
    }, 10_000, "processing configuration applied");
    try (SseClient sse = new SseClient(port, "/v1/edge/results/stream", token, null)) {
      Http.awaitCondition(() -> !sse.comments.isEmpty(), 5_000, "stream open");
      String id = http.postJson("/v1/channels/boiler/records", token, "{\"type\":\"gauge\",\"payload\":{\"p\":50}}")
          .bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");
      Http.awaitCondition(() -> sse.data.stream().anyMatch(d -> d.contains(id)), 10_000, "the alert on the edge stream");
    }
  }

  @Test
  void aStreamIsSentUncompressedThoughTheBrowserAcceptsCompression() {
    post("plain", 1);
    Vertx vertx = Vertx.vertx();
    try {
      NetSocket socket = await(vertx.createNetClient().connect(port, "127.0.0.1"));
      StringBuffer received = new StringBuffer();
      socket.handler(b -> received.append(b.toString(java.nio.charset.StandardCharsets.ISO_8859_1)));
      // what Chromium's EventSource sends
      socket.write("GET /v1/channels/plain/stream?after=0 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
          + "Accept-Encoding: gzip, deflate, br, zstd\r\nAuthorization: Bearer " + token + "\r\n\r\n");
      Http.awaitCondition(() -> received.indexOf("id: 1\n") >= 0, 10_000, "the first record as plain text");
      String head = received.substring(0, received.indexOf("\r\n\r\n")).toLowerCase();
      assertTrue(head.startsWith("http/1.1 200"), head);
      assertTrue(head.contains("content-type: text/event-stream"), head);
      assertFalse(head.contains("content-encoding"), head);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aClientThatStopsReadingIsCutOffWithoutSlowingOthers() {
    Vertx vertx = Vertx.vertx();
    try (SseClient healthy = new SseClient(port, "/v1/channels/flood/stream?after=0", token, null)) {
      NetSocket stuck = await(vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096))
          .connect(port, "127.0.0.1"));
      AtomicBoolean closed = new AtomicBoolean();
      stuck.closeHandler(v -> closed.set(true));
      stuck.handler(b -> { });
      stuck.pause();
      stuck.write("GET /v1/channels/flood/stream?after=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
          + "\r\n\r\n");
      // More than the kernel's socket buffers (up to 4 MiB here) and the 4 KiB stream buffer hold.
      for (int i = 0; i < 40; i++) {
        post("flood", 200, 4000);
      }
      Http.awaitCondition(() -> healthy.ids.size() >= 8000, 30_000, "the reading client gets everything");
      assertTrue(healthy.sawExactly(1, 8000));
      Http.awaitCondition(() -> openStreams() == 1, 20_000, "the server dropped the stuck stream");
      stuck.resume();
      Http.awaitCondition(closed::get, 20_000, "the stuck client sees its connection closed");
    } finally {
      await(vertx.close());
    }
  }

  private static double openStreams() {
    String metrics = http.get("/metrics", null).bodyAsString();
    return metrics.lines().filter(l -> l.startsWith("tributary_sse_streams")).mapToDouble(
        l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }

  @Test
  void pastTheConnectionLimitNewClientsGet503AndOthersKeepFlowing() {
    List<SseClient> open = new ArrayList<>();
    try {
      // The test's own HTTP client holds a connection too; fill the rest of the 12 with streams.
      for (int i = 0; open.size() < 20; i++) {
        SseClient sse = new SseClient(port, "/v1/channels/crowd/stream?after=0", token, null);
        open.add(sse);
        if (sse.status == 503) {
          break;
        }
      }
      SseClient refused = open.get(open.size() - 1);
      assertEquals(503, refused.status, "a client past the limit is refused");
      Http.awaitCondition(() -> refused.ended, 5_000, "the refusal is complete");
      assertEquals("unavailable", new JsonObject(refused.body()).getString("error"));
      post("crowd", 3);
      for (SseClient sse : open.subList(0, open.size() - 1)) {
        Http.awaitCondition(() -> sse.ids.size() >= 3, 10_000, "streams keep flowing");
      }
    } finally {
      open.forEach(SseClient::close);
    }
  }
}
