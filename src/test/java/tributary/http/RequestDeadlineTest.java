package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** X7: the last-resort guard answers a request no handler answered, and only such a request. */
class RequestDeadlineTest {
  private static final long DEADLINE_MS = 300;
  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new RequestDeadline(vertx, DEADLINE_MS));
    router.get("/forgotten").handler(rc -> { /* a handler that never answers: the defect guarded against */ });
    router.get("/streaming").handler(rc -> rc.response().setChunked(true).write("data: 1\n\n"));
    router.get("/quick").handler(rc -> rc.response().end("ok"));
    router.post("/upload").handler(BodyHandler.create(false)).handler(rc -> rc.response().end("got " + rc.body().length()));
    router.route().failureHandler(Failures::handle);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    port = server.actualPort();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private HttpClientResponse get(String path, String requestId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setTimeout(10_000);
    if (requestId != null) {
      options.putHeader(RequestDeadline.HEADER, requestId);
    }
    return await(client.request(options).compose(HttpClientRequest::send));
  }

  @Test
  void aRequestNoHandlerAnswersIsAnswered500WithItsIdAfterTheDeadline() {
    long started = System.currentTimeMillis();
    HttpClientResponse response = get("/forgotten", "trace-42");
    long took = System.currentTimeMillis() - started;
    JsonObject body = await(response.body()).toJsonObject();
    assertEquals(500, response.statusCode());
    assertEquals("internal", body.getString("error"));
    assertTrue(body.getString("message").contains("trace-42"), body.encode());
    assertEquals("trace-42", response.getHeader(RequestDeadline.HEADER));
    assertTrue(took >= DEADLINE_MS && took < 5_000, "answered at the deadline: " + took + " ms");
  }

  @Test
  void answersAlreadyStreamingAndQuickAnswersAreLeftAlone() {
    StringBuilder seen = new StringBuilder();
    boolean[] ended = {false};
    HttpClientResponse streaming = await(client.request(HttpMethod.GET, port, "127.0.0.1", "/streaming")
        .compose(HttpClientRequest::send)
        .map(response -> {
          response.handler(chunk -> seen.append(chunk.toString()));
          response.endHandler(v -> ended[0] = true);
          response.exceptionHandler(e -> ended[0] = true);
          return response;
        }));
    assertEquals(200, streaming.statusCode());
    // Nothing must happen here: the window is three deadlines long.
    Promise<String> window = Promise.promise();
    vertx.setTimer(DEADLINE_MS * 3, t -> window.complete(seen + (ended[0] ? "<ended>" : "")));
    assertEquals("data: 1\n\n", await(window.future()), "a streaming answer is not cut at the deadline");

    HttpClientResponse quick = get("/quick", "bad id with spaces");
    assertEquals(200, quick.statusCode());
    assertTrue(quick.getHeader(RequestDeadline.HEADER).matches("[A-Za-z0-9._:-]+"),
        "an id the client sends that is not plain is replaced: " + quick.getHeader(RequestDeadline.HEADER));
  }

  @Test
  void aBodyStillArrivingPastTheDeadlineIsNotCutShort() {
    HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/upload").setTimeout(10_000)));
    request.setChunked(true);
    request.write("first part;");
    Promise<Void> later = Promise.promise();
    vertx.setTimer(DEADLINE_MS * 3, t -> request.end("second part").onComplete(later));
    HttpClientResponse response = await(request.response());
    assertEquals(200, response.statusCode());
    assertEquals("got 22", await(response.body()).toString());
  }

  @Test
  void theIdIsTheClientsWhenPlainElseANewOne() {
    assertEquals("abc-123", RequestDeadline.idFor("abc-123"));
    assertTrue(!RequestDeadline.idFor("x\r\nSet-Cookie: a").contains("\n"));
    assertTrue(RequestDeadline.idFor(null).length() > 0);
    assertNotEquals("a".repeat(65), RequestDeadline.idFor("a".repeat(65)), "too long");
  }
}
