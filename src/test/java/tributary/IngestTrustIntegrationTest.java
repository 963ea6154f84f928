package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.bus.Envelope;
import tributary.store.RecordStore;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/**
 * Issue 10's ingest defects (E2, E8, X5, X7): an answer never denies a commit that happened, a
 * retry with the same Idempotency-Key stores nothing twice, a receipt says what happened to every
 * line, and one record that no JSON parser takes fails nothing else.
 */
class IngestTrustIntegrationTest {
  private static final String NDJSON = "application/x-ndjson";
  private static TestNode testNode;
  private static TestEnv env;
  private static Http http;
  private static String token;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    // A short forward timeout, so a commit held by a lock outlasts every hop's budget quickly.
    testNode = TestNode.start("trust-node", Map.of("forward-timeout-ms", "300"));
    env = testNode.env;
    http = testNode.http;
    token = http.createUser(env.adminToken, "careful-client");
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL).setProperties(Map.of("search_path", env.schema)))
        .using(vertx).build();
  }

  @AfterAll
  static void stop() {
    await(pool.close());
    await(vertx.close());
    testNode.close();
  }

  private static HttpResponse<Buffer> post(String channel, String body, Map<String, String> headers) {
    return await(http.sendAsync(HttpMethod.POST, "/v1/channels/" + channel + "/records", token, NDJSON, body, headers));
  }

  private static String lines(String... payloads) {
    StringBuilder b = new StringBuilder();
    for (String p : payloads) {
      b.append("{\"payload\":").append(p).append("}\n");
    }
    return b.toString();
  }

  private static long length(String channel) {
    return http.get("/v1/channels/" + channel, token).bodyAsJsonObject().getLong("length", 0L);
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyStoresNothingTwiceAndAnswersTheFirstCursors() {
    String body = lines("1", "2", "3");
    HttpResponse<Buffer> first = post("keyed", body, Map.of("Idempotency-Key", "order-17"));
    assertEquals(202, first.statusCode(), first.bodyAsString());
    HttpResponse<Buffer> again = post("keyed", body, Map.of("Idempotency-Key", "order-17"));
    assertEquals(202, again.statusCode(), again.bodyAsString());
    JsonArray a = first.bodyAsJsonObject().getJsonArray("records");
    JsonArray b = again.bodyAsJsonObject().getJsonArray("records");
    for (int i = 0; i < 3; i++) {
      assertEquals(a.getJsonObject(i).getString("id"), b.getJsonObject(i).getString("id"));
      assertEquals(a.getJsonObject(i).getLong("cursor"), b.getJsonObject(i).getLong("cursor"));
      assertFalse(a.getJsonObject(i).getBoolean("duplicate"));
      assertTrue(b.getJsonObject(i).getBoolean("duplicate"), "the retry stored nothing: " + b);
    }
    assertEquals(3, length("keyed"));

    // Another key is another request; a bad key is refused, naming the header.
    assertEquals(202, post("keyed", body, Map.of("Idempotency-Key", "order-18")).statusCode());
    assertEquals(6, length("keyed"));
    HttpResponse<Buffer> bad = post("keyed", body, Map.of("Idempotency-Key", "has space"));
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("message").contains("Idempotency-Key"), bad.bodyAsString());
  }

  @Test
  void aCommitNotAcknowledgedInTimeIsAnsweredAsUnknownWithItsIdsAndTheRetryStoresNothingTwice() {
    assertEquals(202, post("held", lines("0"), Map.of()).statusCode());
    // Hold the channel's cursor row: core's append waits on it past every hop's time budget.
    SqlConnection holder = await(pool.getConnection());
    try {
      Transaction tx = await(holder.begin());
      await(holder.query("SELECT 1 FROM channels WHERE channel = 'held' FOR UPDATE").execute());
      HttpResponse<Buffer> unknown = post("held", lines("1", "2", "3"), Map.of());
      assertEquals(503, unknown.statusCode(), unknown.bodyAsString());
      JsonObject answer = unknown.bodyAsJsonObject();
      assertEquals("outcome_unknown", answer.getString("error"), answer.encode());
      assertEquals("1", unknown.getHeader("Retry-After"));
      String key = answer.getString("idempotencyKey");
      assertNotNull(key);
      List<String> ids = answer.getJsonArray("ids").stream().map(String.class::cast).toList();
      assertEquals(3, ids.size());
      await(tx.rollback());

      // Core's statement was only waiting: it commits, and a retry with the key learns the cursors.
      Http.awaitCondition(() -> length("held") == 4, 10_000, "the held records committed");
      HttpResponse<Buffer> retried = post("held", lines("1", "2", "3"), Map.of("Idempotency-Key", key));
      assertEquals(202, retried.statusCode(), retried.bodyAsString());
      JsonArray records = retried.bodyAsJsonObject().getJsonArray("records");
      for (int i = 0; i < 3; i++) {
        assertEquals(ids.get(i), records.getJsonObject(i).getString("id"));
        assertTrue(records.getJsonObject(i).getBoolean("duplicate"));
      }
      assertEquals(4, length("held"), "nothing stored twice");
    } finally {
      await(holder.close());
    }
  }

  @Test
  void anIdRepeatedInOneBatchIsAnsweredAsADuplicateAndRefusedWhenTheContentDiffers() {
    String id = UUID.randomUUID().toString();
    String same = "{\"id\":\"" + id + "\",\"payload\":1}\n";
    HttpResponse<Buffer> twice = post("repeats", same + "{\"payload\":2}\n" + same, Map.of());
    assertEquals(202, twice.statusCode(), twice.bodyAsString());
    JsonArray records = twice.bodyAsJsonObject().getJsonArray("records");
    assertFalse(records.getJsonObject(0).getBoolean("duplicate"));
    assertTrue(records.getJsonObject(2).getBoolean("duplicate"), "the later line is the same record: " + records);
    assertEquals(records.getJsonObject(0).getLong("cursor"), records.getJsonObject(2).getLong("cursor"));
    assertEquals(2, length("repeats"));

    String other = UUID.randomUUID().toString();
    HttpResponse<Buffer> conflict = post("repeats", "{\"payload\":0}\n{\"id\":\"" + other + "\",\"payload\":1}\n"
        + "{\"id\":\"" + other + "\",\"payload\":9}\n", Map.of());
    assertEquals(400, conflict.statusCode(), conflict.bodyAsString());
    assertTrue(conflict.bodyAsJsonObject().getString("message").contains("lines 2 and 3"), conflict.bodyAsString());
    assertEquals(2, length("repeats"), "a refused body stores nothing");
  }

  @Test
  void aPayloadNestedTooDeepOrWithAHugeNumberIsRefusedAtIngest() {
    String deep = "[".repeat(999) + "]".repeat(999);
    HttpResponse<Buffer> tooDeep = post("bounded", lines(deep), Map.of());
    assertEquals(400, tooDeep.statusCode(), tooDeep.bodyAsString());
    assertTrue(tooDeep.bodyAsJsonObject().getString("message").contains("nested deeper"), tooDeep.bodyAsString());
    HttpResponse<Buffer> huge = post("bounded", lines("1" + "0".repeat(500)), Map.of());
    assertEquals(400, huge.statusCode(), huge.bodyAsString());
    assertEquals(202, post("bounded", lines("[".repeat(60) + "]".repeat(60)), Map.of()).statusCode());
  }

  @Test
  void aStoredRecordNoParserTakesFailsNothingElse() {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(b.toString());
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
    try {
      assertEquals(201, http.postJson("/v1/sinks", env.adminToken, new JsonObject().put("sinkId", "legacy-hook")
          .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/").put("channel", "legacy")
          .put("include", "raw").encode()).statusCode());
      // Stored before ingest bounded nesting: deeper than the JSON parser's own limit of 1,000.
      String deepId = UUID.randomUUID().toString();
      String deep = "[".repeat(1200) + "]".repeat(1200);
      await(RecordStore.appendIn(pool, List.of(new Envelope(deepId, "trust-node", "legacy", "json", 5,
          System.currentTimeMillis(), "careful-client", null, deep, null)), System.currentTimeMillis(),
          new RecordStore.Route("gw", "core"), true));
      HttpResponse<Buffer> plain = post("legacy", lines("{\"ok\":true}"), Map.of());
      assertEquals(202, plain.statusCode(), plain.bodyAsString());
      String plainId = plain.bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");

      HttpResponse<Buffer> history = http.get("/v1/channels/legacy/history?from=0", token);
      assertEquals(200, history.statusCode(), history.bodyAsString());
      assertTrue(history.bodyAsString().contains(deepId) && history.bodyAsString().contains(plainId));
      HttpResponse<Buffer> provenance = http.get("/v1/provenance/" + deepId, env.adminToken);
      assertEquals(200, provenance.statusCode(), provenance.bodyAsString());
      assertTrue(provenance.bodyAsString().contains("\"kind\":\"record\""));
      Http.awaitCondition(() -> String.join("", received).contains(deepId)
          && String.join("", received).contains(plainId), 15_000, "both records exported");
    } finally {
      await(receiver.close());
    }
  }
}
