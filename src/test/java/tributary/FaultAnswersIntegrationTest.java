package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;
import tributary.http.Tokens;
import tributary.support.DroppingProxy;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * X7, E9: faults of the services behind a node get a prompt, honest answer. PostgreSQL gone answers
 * 503 with Retry-After within the connect timeout, from the token look-up and from commits, never
 * 500 after a long wait.
 */
class FaultAnswersIntegrationTest {
  /** An answer to a request made while a service is down must come within this. */
  private static final long PROMPT_MS = 4_000;

  private static HttpResponse<Buffer> postRecord(Http http, String token, String channel) {
    return http.send(HttpMethod.POST, "/v1/channels/" + channel + "/records", token, "application/json",
        "{\"payload\":{\"n\":1}}");
  }

  private static void assertUnavailable(HttpResponse<Buffer> r, long elapsedMs, String what) {
    assertEquals(503, r.statusCode(), what + ": " + r.bodyAsString());
    assertNotNull(r.getHeader("Retry-After"), what + " carries Retry-After");
    assertEquals("unavailable", r.bodyAsJsonObject().getString("error"), what);
    assertTrue(elapsedMs < PROMPT_MS, what + " answered after " + elapsedMs + " ms");
  }

  @Test
  void postgresDownAnswers503WithRetryAfterFromTokenLookUpAndCommitsQuickly() {
    TestEnv env = new TestEnv();
    URI pg = URI.create(TestEnv.PG_URL);
    try (DroppingProxy proxy = new DroppingProxy(pg.getPort() < 0 ? 5432 : pg.getPort())) {
      Map<String, String> settings = env.settings("pg-down");
      settings.put("pg-url", pg.getScheme() + "://" + pg.getRawUserInfo() + "@127.0.0.1:" + proxy.port() + pg.getRawPath());
      settings.put("pg-connect-timeout-ms", "1000");
      Node node = await(Node.start(NodeConfig.from(settings)));
      try (Http http = new Http(node.config().httpPort())) {
        http.awaitReady(30_000);
        String token = http.createUser(env.adminToken, "writer");
        assertEquals(202, postRecord(http, token, "pg-down").statusCode(), "a commit before the fault");

        proxy.cut();
        long started = System.currentTimeMillis();
        HttpResponse<Buffer> lookUp = http.get("/v1/channels/pg-down/records?after=0", Tokens.generate());
        assertUnavailable(lookUp, System.currentTimeMillis() - started, "a token look-up");

        started = System.currentTimeMillis();
        HttpResponse<Buffer> commit = postRecord(http, token, "pg-down");
        assertUnavailable(commit, System.currentTimeMillis() - started, "a commit");
      } finally {
        await(node.stop());
      }
    } finally {
      env.drop();
    }
  }
}
