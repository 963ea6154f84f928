package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * X4 and issue 19's lifecycle: /ready names each role's readiness and answers 503 from the start
 * of a shutdown; a stopping node finishes the requests in flight, ends its live streams at once
 * (so the drain is not held by them), and only then closes.
 */
class NodeLifecycleIntegrationTest {

  @Test
  void aStoppingNodeTurnsUnreadyFinishesRequestsInFlightAndEndsItsStreams() {
    Vertx vertx = Vertx.vertx();
    TestNode node = TestNode.start("lifecycle-node", Map.of("drain-delay-ms", "1500", "shutdown-grace-ms", "20000"));
    try {
      String admin = node.env.adminToken;
      JsonObject ready = node.http.get("/ready", null).bodyAsJsonObject();
      assertEquals("ready", ready.getString("status"));
      assertEquals(new JsonObject().put("cache", true).put("console", true).put("core", true).put("dispatch", true)
          .put("edge", true).put("gateway", true).put("management", true).put("storage", true),
          ready.getJsonObject("roles"), "every role of an all-roles node, each ready");

      HttpClient client = vertx.createHttpClient();
      // A live stream, open before the stop.
      HttpClientResponse stream = await(client.request(new RequestOptions().setPort(node.port()).setHost("127.0.0.1")
              .setURI("/v1/channels/life/stream?after=0").putHeader("Authorization", "Bearer " + admin))
          .compose(HttpClientRequest::send));
      assertEquals(200, stream.statusCode());
      Promise<String> streamEnd = Promise.promise();
      stream.handler(chunk -> { });
      stream.endHandler(v -> streamEnd.tryComplete("ended by the server"));
      stream.exceptionHandler(e -> streamEnd.tryComplete("broken: " + e));
      // An ingest request in flight: its headers are sent, its body is not finished.
      HttpClientRequest slow = await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setPort(node.port()).setHost("127.0.0.1").setURI("/v1/channels/life/records")
          .putHeader("Authorization", "Bearer " + admin).putHeader("Content-Type", "application/json")));
      slow.setChunked(true);
      Future<HttpClientResponse> slowAnswer = slow.response();
      await(slow.write("{\"type\":\"life\","));

      Future<Void> stopped = node.node.stop();
      Http.awaitCondition(() -> {
        var answer = node.http.get("/ready", null);
        return answer.statusCode() == 503 && "stopping".equals(answer.bodyAsJsonObject().getString("status"));
      }, 10_000, "/ready saying 503 stopping while the node drains");
      Http.awaitCondition(() -> node.http.sendAsync(HttpMethod.GET, "/health", null, null, (String) null)
          .toCompletionStage().toCompletableFuture().handle((r, e) -> e != null).join(), 20_000,
          "the HTTP face no longer taking connections");

      await(slow.end("\"payload\":{\"n\":1}}"));
      HttpClientResponse answer = await(slowAnswer);
      assertEquals(202, answer.statusCode(), "the request in flight when the face stopped accepting is answered");
      assertEquals("ended by the server", await(streamEnd.future()),
          "the live stream is ended by the node, not cut when the grace runs out");
      await(stopped);
    } finally {
      node.close();
      await(vertx.close());
    }
  }
}
