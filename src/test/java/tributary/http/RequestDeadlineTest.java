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
    // The second event comes after the deadline: it arrives only if the stream was not cut.
    router.get("/streaming").handler(rc -> {
      rc.response().setChunked(true).write("data: 1\n\n");
      vertx.setTimer(DEADLINE_MS * 2, t -> rc.response().write("data: 2\n\n"));
    });
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

  /** An answer read whole on the event loop (a body read later from the test thread can be missed). */
  private record Answer(int status, String requestId, String body) {}

  private Answer get(String path, String requestId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setConnectTimeout(10_000).setTimeout(10_000);
    if (requestId != null) {
      options.putHeader(RequestDeadline.HEADER, requestId);
    }
    return await(client.request(options).compose(HttpClientRequest::send).compose(response -> response.body()
        .map(body -> new Answer(response.statusCode(), response.getHeader(RequestDeadline.HEADER), body.toString()))));
  }

  private Answer answer(HttpClientRequest request) {
    return await(request.response().compose(response -> response.body()
        .map(body -> new Answer(response.statusCode(), response.getHeader(RequestDeadline.HEADER), body.toString()))));
  }

  @Test
  void aRequestNoHandlerAnswersIsAnswered500WithItsIdAfterTheDeadline() {
    long started = System.currentTimeMillis();
    Answer response = get("/forgotten", "trace-42");
    long took = System.currentTimeMillis() - started;
    JsonObject body = new JsonObject(response.body());
    assertEquals(500, response.status());
    assertEquals("internal", body.getString("error"));
    assertTrue(body.getString("message").contains("trace-42"), body.encode());
    assertEquals("trace-42", response.requestId());
    assertTrue(took >= DEADLINE_MS, "answered at the deadline, not before: " + took + " ms");
  }

  @Test
  void anAnswerAlreadyStreamingIsNotCutAtTheDeadline() {
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
    String got = await(window.future());
    assertTrue(got.endsWith("data: 2\n\n"), "a streaming answer is not cut at the deadline: " + got);
  }

  // Apart from the streaming test, so that no connection of this client is held open meanwhile.
  @Test
  void aQuickAnswerIsLeftAloneAndAnIdThatIsNotPlainIsReplaced() {
    Answer quick = get("/quick", "bad id with spaces");
    assertEquals(200, quick.status());
    assertTrue(quick.requestId().matches("[A-Za-z0-9._:-]+"),
        "an id the client sends that is not plain is replaced: " + quick.requestId());
  }

  @Test
  void aBodyStillArrivingPastTheDeadlineIsNotCutShortAndOneThatStopsIsAnswered408() {
    HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/upload").setTimeout(10_000)));
    request.setChunked(true);
    request.write("0123456789");
    int[] parts = {1};
    // A part every third of a deadline, for four deadlines: the body is slow but never stops.
    vertx.setPeriodic(DEADLINE_MS / 3, t -> {
      if (parts[0]++ < 12) {
        request.write("0123456789");
      } else {
        vertx.cancelTimer(t);
        request.end();
      }
    });
    Answer response = answer(request);
    assertEquals(200, response.status());
    assertEquals("got 120", response.body());

    HttpClientRequest stalled = await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/upload").setTimeout(10_000)));
    stalled.setChunked(true);
    stalled.write("the rest never comes");
    Answer refused = answer(stalled);
    assertEquals(408, refused.status());
    assertEquals("request_timeout", new JsonObject(refused.body()).getString("error"));
  }

  @Test
  void theIdIsTheClientsWhenPlainElseANewOne() {
    assertEquals("abc-123", RequestDeadline.idFor("abc-123"));
    assertTrue(!RequestDeadline.idFor("x\r\nSet-Cookie: a").contains("\n"));
    assertTrue(RequestDeadline.idFor(null).length() > 0);
    assertNotEquals("a".repeat(65), RequestDeadline.idFor("a".repeat(65)), "too long");
  }
}
