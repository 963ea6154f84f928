package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestNode;

/** X3 token lifecycle on one node: issue, list, expire, revoke; query tokens only on live streams, never logged. */
class TokenLifecycleIntegrationTest {
  private static TestNode node;
  private static Http http;
  private static String admin;
  private static String bobToken;

  @BeforeAll
  static void start() {
    node = TestNode.start("tokens-node", Map.of());
    http = node.http;
    admin = node.env.adminToken;
    bobToken = http.createUser(admin, "bob");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject issue(String userId, String token, String body) {
    HttpResponse<Buffer> r = http.send(HttpMethod.POST, "/v1/users/" + userId + "/tokens", token,
        body == null ? null : "application/json", body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static int status(String path, String token) {
    return http.get(path, token).statusCode();
  }

  @Test
  void aUserIssuesAnotherTokenShownOnceAndListedWithoutIt() {
    JsonObject issued = issue("bob", bobToken, "{\"label\":\"laptop\",\"ttlSeconds\":3600}");
    String token = issued.getString("token");
    assertTrue(issued.getString("tokenId").startsWith("tok_"), issued.encode());
    Instant expires = Instant.parse(issued.getString("expiresAt"));
    assertTrue(expires.isAfter(Instant.now().plusSeconds(3500)) && expires.isBefore(Instant.now().plusSeconds(3700)));
    assertEquals(200, status("/v1/users/bob/tokens", token), "the new token works");

    JsonObject listed = http.get("/v1/users/bob/tokens", bobToken).bodyAsJsonObject();
    JsonArray tokens = listed.getJsonArray("tokens");
    assertFalse(listed.encode().contains(token), "a list never shows a token");
    assertFalse(listed.encode().contains(bobToken));
    JsonObject laptop = tokens.stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("tokenId").equals(issued.getString("tokenId"))).findFirst().orElseThrow();
    assertEquals("laptop", laptop.getString("label"));
    assertEquals(issued.getString("expiresAt"), laptop.getString("expiresAt"));
    assertNotNull(laptop.getString("lastUsedAt"), "used once above");
    assertNotNull(laptop.getString("createdAt"));
    assertEquals(1, tokens.stream().map(JsonObject.class::cast).filter(t -> t.getBoolean("current")).count());
    assertTrue(http.get("/v1/users/bob/tokens", token).bodyAsJsonObject().getJsonArray("tokens").stream()
        .map(JsonObject.class::cast).anyMatch(t -> t.getBoolean("current") && t.getString("tokenId")
            .equals(issued.getString("tokenId"))), "the list marks the token that asked");
    assertTrue(tokens.stream().map(JsonObject.class::cast).anyMatch(t -> "initial".equals(t.getString("label"))
        && t.getValue("expiresAt") == null), "the token made with the user never expires: " + tokens);
  }

  @Test
  void anAdministratorIssuesForAUserWithNoBody() {
    JsonObject issued = issue("bob", admin, null);
    assertNull(issued.getValue("expiresAt"));
    assertEquals(200, status("/v1/users/bob/tokens", issued.getString("token")));
    assertEquals(404, http.postJson("/v1/users/nobody/tokens", admin, "{}").statusCode());
  }

  @Test
  void badLifetimesAndLabelsAreRefusedNamingTheField() {
    for (String body : new String[] {"{\"ttlSeconds\":0}", "{\"ttlSeconds\":\"60\"}", "{\"ttlSeconds\":1.5}",
        "{\"label\":7}", "{\"label\":\"a\\u0000b\"}", "[1]"}) {
      HttpResponse<Buffer> r = http.postJson("/v1/users/bob/tokens", bobToken, body);
      assertEquals(400, r.statusCode(), body + " -> " + r.bodyAsString());
      assertEquals("bad_request", r.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  void anExpiringTokenCannotMintALastingOne() {
    String shortLived = issue("bob", bobToken, "{\"ttlSeconds\":600}").getString("token");
    JsonObject child = issue("bob", shortLived, null);
    assertEquals(Instant.parse(child.getString("expiresAt")).getEpochSecond(),
        Instant.now().plusSeconds(600).getEpochSecond(), 5, "expires with the token that asked");
    HttpResponse<Buffer> longer = http.postJson("/v1/users/bob/tokens", shortLived, "{\"ttlSeconds\":3600}");
    assertEquals(400, longer.statusCode(), longer.bodyAsString());
    assertTrue(longer.bodyAsJsonObject().getString("message").contains("may not outlive"));
  }

  @Test
  void anExpiredTokenIsRefusedWithAClearMessage() {
    String token = issue("bob", bobToken, "{\"ttlSeconds\":1}").getString("token");
    assertEquals(200, status("/v1/users/bob/tokens", token), "valid until it expires");
    Http.awaitCondition(() -> status("/v1/users/bob/tokens", token) == 401, 5_000, "the token expired");
    HttpResponse<Buffer> r = http.get("/v1/users/bob/tokens", token);
    assertEquals("token_expired", r.bodyAsJsonObject().getString("error"));
    assertTrue(r.bodyAsJsonObject().getString("message").contains("expired at"), r.bodyAsString());
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndOthersKeepWorking() {
    JsonObject issued = issue("bob", bobToken, "{\"label\":\"to revoke\"}");
    String token = issued.getString("token");
    assertEquals(200, status("/v1/users/bob/tokens", token), "cached now");
    HttpResponse<Buffer> revoked = http.send(HttpMethod.DELETE, "/v1/users/bob/tokens/" + issued.getString("tokenId"),
        token, null, null);
    assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
    assertEquals(401, status("/v1/users/bob/tokens", token));
    assertEquals(200, status("/v1/users/bob/tokens", bobToken));
    assertEquals(404, http.send(HttpMethod.DELETE, "/v1/users/bob/tokens/" + issued.getString("tokenId"), bobToken,
        null, null).statusCode(), "already gone");
  }

  @Test
  void onlyTheUserOrAnAdministratorManagesTokensAndOnlyAnAdministratorRevokesAll() {
    String carol = http.createUser(admin, "carol");
    String carolSecond = issue("carol", carol, null).getString("token");
    assertEquals(403, http.postJson("/v1/users/carol/tokens", bobToken, "{}").statusCode());
    assertEquals(403, status("/v1/users/carol/tokens", bobToken));
    assertEquals(403, http.send(HttpMethod.DELETE, "/v1/users/carol/tokens", carol, null, null).statusCode());

    HttpResponse<Buffer> all = http.send(HttpMethod.DELETE, "/v1/users/carol/tokens", admin, null, null);
    assertEquals(200, all.statusCode(), all.bodyAsString());
    assertEquals(2, all.bodyAsJsonObject().getJsonArray("revoked").size());
    assertEquals(401, status("/v1/processors", carol));
    assertEquals(401, status("/v1/processors", carolSecond));
  }

  @Test
  void anAdministratorIsNeverLeftWithoutAToken() {
    HttpResponse<Buffer> all = http.send(HttpMethod.DELETE, "/v1/users/admin/tokens", admin, null, null);
    assertEquals(409, all.statusCode(), all.bodyAsString());
    String only = http.get("/v1/users/admin/tokens", admin).bodyAsJsonObject().getJsonArray("tokens")
        .getJsonObject(0).getString("tokenId");
    assertEquals(409, http.send(HttpMethod.DELETE, "/v1/users/admin/tokens/" + only, admin, null, null).statusCode());
    assertEquals(200, status("/v1/processors", admin));
  }

  @Test
  void aQueryTokenIsTakenOnlyOnLiveStreams() {
    HttpResponse<Buffer> read = http.get("/v1/channels/q/records?after=0&access_token=" + bobToken, null);
    assertEquals(401, read.statusCode());
    assertTrue(read.bodyAsJsonObject().getString("message").contains("Authorization header"), read.bodyAsString());
    assertEquals(401, http.get("/v1/users/bob/tokens?access_token=" + bobToken, bobToken).statusCode(),
        "refused even beside a header: the URL is what leaks");
    try (SseClient sse = new SseClient(node.port(), "/v1/channels/q/stream?after=0&access_token=" + bobToken, null,
        null)) {
      assertEquals(200, sse.status);
    }
    try (SseClient sse = new SseClient(node.port(), "/v1/users/bob/data/stream?access_token=" + bobToken, null,
        null)) {
      assertTrue(sse.status != 401, "the user-queue stream takes the query token too: " + sse.status);
    }
  }

  @Test
  void noTokenIsWrittenToTheLogOrToMetrics() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    root.addAppender(seen);
    root.setLevel(Level.TRACE);
    String fresh;
    try {
      fresh = issue("bob", bobToken, "{\"label\":\"logged?\"}").getString("token");
      try (SseClient sse = new SseClient(node.port(), "/v1/channels/logs/stream?after=0&access_token=" + fresh, null,
          null)) {
        assertEquals(200, sse.status);
      }
      http.get("/v1/channels/logs/records?access_token=" + fresh, null);
      http.get("/v1/nope?access_token=" + fresh, null);
      http.postJson("/v1/users", fresh, "{\"userId\":\"x\"}");
    } finally {
      root.setLevel(before);
      root.detachAppender(seen);
    }
    assertFalse(seen.list.isEmpty(), "the appender saw the node's log");
    for (ILoggingEvent event : seen.list) {
      String text = event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String token : new String[] {fresh, bobToken, admin}) {
        assertFalse(text.contains(token), "a token in the log: " + text);
      }
    }
    String metrics = http.get("/metrics", null).bodyAsString();
    assertFalse(metrics.contains(fresh) || metrics.contains("access_token"), "a token in /metrics");
  }
}
