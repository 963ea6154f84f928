package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * Every request is answered: a bad parameter is a JSON 400 that names it, whether it is read
 * before or after the rights check, and a body field of the wrong JSON type is a 400 naming the
 * field, never a 500 or no answer at all.
 */
class EveryRequestAnsweredIntegrationTest {
  /** Far below the client's own timeout: an answer that does not come in this time never comes. */
  private static final long ANSWER_BOUND_MS = 5_000;
  private static TestNode node;
  private static Http http;
  private static String admin;
  private static String user;

  @BeforeAll
  static void start() {
    node = TestNode.start("answer-node", Map.of());
    http = node.http;
    admin = node.env.adminToken;
    user = http.createUser(admin, "answer-user");
    http.postJson("/v1/channels/c/records", user, "{\"payload\":1}");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The answer to a request, which must come within {@link #ANSWER_BOUND_MS}. */
  private static HttpResponse<Buffer> answer(HttpMethod method, String path, String token, String body) {
    try {
      return http.sendAsync(method, path, token, body == null ? null : "application/json", body)
          .toCompletionStage().toCompletableFuture().get(ANSWER_BOUND_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(method + " " + path + " was not answered within " + ANSWER_BOUND_MS + " ms");
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  private static void assertBadRequest(HttpMethod method, String path, String token, String body, String naming) {
    HttpResponse<Buffer> r = answer(method, path, token, body);
    assertEquals(400, r.statusCode(), method + " " + path + " " + body + ": " + r.bodyAsString());
    assertEquals("application/json", r.getHeader("Content-Type"));
    JsonObject error = r.bodyAsJsonObject();
    assertEquals("bad_request", error.getString("error"));
    assertTrue(error.getString("message").contains(naming), error.getString("message") + " names " + naming);
  }

  @Test
  void badCursorsOnChannelReadsAreAnswered400WithinTheBound() {
    // A channel never read before: its rights are looked up in PostgreSQL, so the read goes on in a callback.
    int fresh = 0;
    for (String read : List.of("records", "history", "stream")) {
      for (String after : List.of("-1", "abc", "9223372036854775808")) {
        assertBadRequest(HttpMethod.GET, "/v1/channels/fresh-" + fresh++ + "/" + read + "?after=" + after, user, null,
            "after");
      }
    }
    for (String after : List.of("-1", "abc", "9223372036854775808")) {
      assertBadRequest(HttpMethod.GET, "/v1/users/answer-user/data?after=" + after, user, null, "after");
    }
    assertBadRequest(HttpMethod.GET, "/v1/channels/fresh-limit/records?limit=0", user, null, "limit");
    assertBadRequest(HttpMethod.GET, "/v1/channels/fresh-wait/records?wait=abc", user, null, "wait");
    assertBadRequest(HttpMethod.GET, "/v1/channels/fresh-from/history?from=x", user, null, "from");
    assertBadRequest(HttpMethod.GET, "/v1/channels/fresh-to/history?to=-5", user, null, "to");
  }

  /** Method, path, who asks, the field the refusal names, and the body (the rest of the line). */
  private static final String WRONG_TYPES = """
      PUT /v1/channels/c/acl user readers {"readers": "x"}
      PUT /v1/channels/c/acl user writers {"writers": [1]}
      PUT /v1/channels/c admin owner {"owner": 5}
      PUT /v1/channels/c admin force {"owner": "answer-user", "force": "yes"}
      PUT /v1/channels/c/cache user ttlMs {"ttlMs": "long"}
      PUT /v1/channels/c/cache user adaptive {"adaptive": 1}
      POST /v1/users admin userId {"userId": 5}
      POST /v1/users admin kind {"userId": "u", "kind": []}
      PUT /v1/nodes/answer-node/grant admin permittedTypes {"permittedTypes": "x"}
      PUT /v1/nodes/answer-node/grant admin defaultPriority {"defaultPriority": "high"}
      PUT /v1/nodes/answer-node/grant admin resultHook {"resultHook": "ftp://hooks.example/in"}
      PUT /v1/nodes/answer-node/grant admin resultHook {"resultHook": 7}
      POST /v1/sinks admin url {"url": 5}
      POST /v1/users/answer-user/data/ack user upTo {"upTo": "x"}
      PUT /v1/users/answer-user/worker admin worker {"worker": "x"}
      POST /v1/tasks user kind {"kind": 5, "blob": "b"}
      POST /v1/tasks user params {"kind": "mirror", "blob": "b", "params": [1]}
      POST /v1/tasks user targets {"kind": "mirror", "blob": "b", "params": {"targets": "s1"}}
      """;

  @Test
  void aBodyFieldOfTheWrongTypeIsA400NamingIt() {
    for (String line : WRONG_TYPES.strip().split("\n")) {
      String[] c = line.strip().split(" ", 5);
      assertBadRequest(HttpMethod.valueOf(c[0]), c[1], c[2].equals("admin") ? admin : user, c[4], c[3]);
    }
  }
}
