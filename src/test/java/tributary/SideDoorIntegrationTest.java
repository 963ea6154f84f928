package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestNode;

/**
 * X3, one rights check behind every read path: no side door shows a channel's records to whoever
 * may not read it, or a blob's tasks and seals to whoever does not own it; restricted channels
 * take records only from their writers; an administrator names a channel's owner before anyone
 * posts.
 */
class SideDoorIntegrationTest {
  private static final String NODE = "side-node";
  private static TestNode node;
  private static Http http;
  private static BlobClient blobs;
  private static String admin;
  private static String owner;
  private static String friend;
  private static String stranger;
  private static String writer;

  @BeforeAll
  static void start() {
    node = TestNode.start(NODE, Map.of("storage-heartbeat-ms", "200", "task-poll-ms", "200"));
    http = node.http;
    blobs = new BlobClient(node.port());
    admin = node.env.adminToken;
    owner = http.createUser(admin, "owner");
    friend = http.createUser(admin, "friend");
    stranger = http.createUser(admin, "stranger");
    writer = http.createUser(admin, "writer");
  }

  @AfterAll
  static void stop() {
    blobs.close();
    node.close();
  }

  private static HttpResponse<Buffer> post(String token, String channel, String record) {
    return http.postJson("/v1/channels/" + channel + "/records", token, record);
  }

  private static String posted(String token, String channel, String record) {
    HttpResponse<Buffer> r = post(token, channel, record);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");
  }

  /** The owner posts first (so owns the channel) and restricts it to {@code acl}. */
  private static void restricted(String channel, String acl) {
    posted(owner, channel, "{\"payload\":{\"first\":true}}");
    HttpResponse<Buffer> set = http.putJson("/v1/channels/" + channel + "/acl", owner, acl);
    assertEquals(200, set.statusCode(), set.bodyAsString());
  }

  private static List<JsonObject> records(String path, String token) {
    HttpResponse<Buffer> r = http.get(path, token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("records").stream().map(JsonObject.class::cast).toList();
  }

  private static String sourceOf(JsonObject result) {
    return result.getJsonObject("payload").getJsonObject("source").getString("channel");
  }

  /** Every result on the edge's feed that {@code token} sees, with its source channel. */
  private static List<JsonObject> edgeResults(String token) {
    return records("/v1/edge/results?after=0&limit=1000", token);
  }

  /** The alert the edge's feed holds for an input record, as the administrator sees it. */
  private static JsonObject awaitFeedAlert(String inputId) {
    JsonObject[] found = new JsonObject[1];
    Http.awaitCondition(() -> {
      found[0] = edgeResults(admin).stream()
          .filter(r -> r.getJsonObject("payload").getJsonArray("inputs").contains(inputId)).findFirst().orElse(null);
      return found[0] != null;
    }, 15_000, "the alert on " + inputId + " on the edge feed");
    return found[0];
  }

  private static void alertsOnGauge() {
    assertEquals(200, http.putJson("/v1/processors/gauge", admin,
        "{\"thresholds\":[{\"field\":\"p\",\"above\":10}]}").statusCode());
    Http.awaitCondition(() -> {
      posted(admin, "warm-up", "{\"type\":\"gauge\",\"payload\":{\"p\":11}}");
      return !records("/v1/channels/warm-up.results/records?after=0", admin).isEmpty();
    }, 15_000, "processing configuration applied");
  }

  @Test
  void edgeResultsShowOnlyChannelsTheReaderMayRead() {
    alertsOnGauge();
    restricted("vault", "{\"readers\":[\"friend\"]}");
    String secretInput = posted(owner, "vault", "{\"type\":\"gauge\",\"payload\":{\"p\":50}}");
    JsonObject secret = awaitFeedAlert(secretInput);
    String openInput = posted(stranger, "yard", "{\"type\":\"gauge\",\"payload\":{\"p\":60}}");
    JsonObject open = awaitFeedAlert(openInput);
    assertTrue(secret.getLong("cursor") < open.getLong("cursor"), "the secret alert comes first on the feed");

    List<JsonObject> seen = edgeResults(stranger);
    assertTrue(seen.stream().anyMatch(r -> r.getString("id").equals(open.getString("id"))), "readable results shown");
    assertTrue(seen.stream().noneMatch(r -> sourceOf(r).equals("vault")), "no result of vault: " + seen);
    assertTrue(edgeResults(friend).stream().anyMatch(r -> r.getString("id").equals(secret.getString("id"))),
        "a reader of vault sees its results");
    String edgeToken = http.postJson("/v1/users", admin, "{\"userId\":\"" + NODE + "\",\"kind\":\"edge\"}")
        .bodyAsJsonObject().getString("token");
    assertTrue(edgeResults(edgeToken).stream().anyMatch(r -> r.getString("id").equals(secret.getString("id"))),
        "the edge's own token sees its whole feed");

    try (SseClient sse = new SseClient(node.port(), "/v1/edge/results/stream?after=0", stranger, null)) {
      assertEquals(200, sse.status);
      Http.awaitCondition(() -> sse.data.stream().anyMatch(d -> d.contains(open.getString("id"))), 10_000,
          "the readable alert on the stream");
      assertTrue(sse.data.stream().map(JsonObject::new).noneMatch(r -> sourceOf(r).equals("vault")),
          "no result of vault on the stream: " + sse.data);
    }
    assertEquals(403, http.get("/v1/provenance/" + secret.getString("id"), stranger).statusCode(),
        "nor the lineage of its records");
    assertEquals(200, http.get("/v1/provenance/" + secret.getString("id"), friend).statusCode());
  }

  @Test
  void placementOfARecordNeedsTheRightToReadItsChannel() {
    restricted("ledger", "{\"readers\":[\"friend\"]}");
    String id = posted(owner, "ledger", "{\"payload\":{\"amount\":1000}}");
    HttpResponse<Buffer> refused = http.get("/v1/records/" + id + "/placement", stranger);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("forbidden", refused.bodyAsJsonObject().getString("error"));
    assertFalse(refused.bodyAsString().contains("ledger:") || refused.bodyAsString().contains("copies"));
    assertEquals(200, http.get("/v1/records/" + id + "/placement", friend).statusCode());
    assertEquals(200, http.get("/v1/records/" + id + "/placement", admin).statusCode());
    assertEquals(404, http.get("/v1/records/" + java.util.UUID.randomUUID() + "/placement", stranger).statusCode());
  }

  private static void awaitStorage() {
    Http.awaitCondition(() -> http.get("/v1/storage/nodes", admin).bodyAsJsonObject().getJsonArray("nodes").size() == 3,
        10_000, "three storage nodes heartbeating");
  }

  private static String upload(String token, String name, String text) {
    BlobClient.Reply r = blobs.upload(token, "?type=document&name=" + name, text.getBytes());
    assertEquals(201, r.status(), r.body().toString());
    return r.json().getString("id");
  }

  private static String task(String token, String kind, String blob, JsonObject params) {
    HttpResponse<Buffer> r = http.postJson("/v1/tasks", token,
        new JsonObject().put("kind", kind).put("blob", blob).put("params", params).encode());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  private static List<JsonObject> plans(String token, String query) {
    HttpResponse<Buffer> r = http.get("/v1/tasks" + query, token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("plans").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void taskListsShowOnlyTheCallersBlobs() {
    awaitStorage();
    String erin = http.createUser(admin, "erin");
    String frank = http.createUser(admin, "frank");
    String erins = upload(erin, "erin.txt", "erin's notes");
    String franks = upload(frank, "frank.txt", "frank's notes");
    String erinsPlan = task(erin, "compress", erins, new JsonObject().put("note", "erin-secret-param"));
    String franksPlan = task(frank, "compress", franks, new JsonObject());

    List<JsonObject> mine = plans(frank, "");
    assertTrue(mine.stream().anyMatch(p -> p.getString("id").equals(franksPlan)), "own plans listed");
    assertTrue(mine.stream().allMatch(p -> p.getString("blob").equals(franks)), "only plans of frank's blob: " + mine);
    assertFalse(new JsonArray(mine).encode().contains("erin-secret-param"));
    HttpResponse<Buffer> foreign = http.get("/v1/tasks?blob=" + erins, frank);
    assertEquals(403, foreign.statusCode(), foreign.bodyAsString());
    assertEquals("forbidden", foreign.bodyAsJsonObject().getString("error"));
    assertEquals(404, http.get("/v1/tasks?blob=no-such-blob", frank).statusCode());
    assertTrue(plans(erin, "?blob=" + erins).stream().anyMatch(p -> p.getString("id").equals(erinsPlan)));
    List<JsonObject> all = plans(admin, "?kind=compress");
    assertTrue(all.stream().anyMatch(p -> p.getString("id").equals(erinsPlan))
        && all.stream().anyMatch(p -> p.getString("id").equals(franksPlan)), "an administrator sees every plan");
  }

  @Test
  void verifyingWithAnotherUsersSealIsNotFound() {
    awaitStorage();
    String gina = http.createUser(admin, "gina");
    String hugo = http.createUser(admin, "hugo");
    String contract = upload(gina, "contract.txt", "gina's contract");
    String plan = task(gina, "protect", contract, new JsonObject().put("mode", "timestamp"));
    String[] seal = new String[1];
    Http.awaitCondition(() -> {
      JsonObject p = plans(gina, "?blob=" + contract).stream().filter(x -> x.getString("id").equals(plan))
          .findFirst().orElseThrow();
      seal[0] = p.getJsonArray("items").getJsonObject(0).getString("output");
      return "done".equals(p.getString("state"));
    }, 20_000, "the timestamp seal made");
    String own = upload(hugo, "mine.txt", "hugo's file");

    HttpResponse<Buffer> refused = http.get("/v1/blobs/" + own + "/verify?seal=" + seal[0], hugo);
    assertEquals(404, refused.statusCode(), refused.bodyAsString());
    assertEquals("not_found", refused.bodyAsJsonObject().getString("error"));
    assertFalse(refused.bodyAsString().contains("sealed"), refused.bodyAsString());
    JsonObject valid = http.get("/v1/blobs/" + contract + "/verify?seal=" + seal[0], gina).bodyAsJsonObject();
    assertTrue(valid.getBoolean("valid"), valid.encode());
  }

  @Test
  void onlyTheOwnerWritersAndAdministratorsPostToARestrictedChannel() {
    restricted("intake", "{\"readers\":[\"friend\"],\"writers\":[\"writer\"]}");
    JsonObject acl = http.get("/v1/channels/intake/acl", owner).bodyAsJsonObject();
    assertEquals(new JsonArray().add("writer"), acl.getJsonArray("writers"), acl.encode());

    HttpResponse<Buffer> refused = post(stranger, "intake", "{\"payload\":{\"spam\":1}}");
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("forbidden", refused.bodyAsJsonObject().getString("error"));
    assertEquals(403, post(friend, "intake", "{\"payload\":{\"r\":1}}").statusCode(), "reading is not writing");
    posted(writer, "intake", "{\"payload\":{\"w\":1}}");
    posted(owner, "intake", "{\"payload\":{\"o\":1}}");
    posted(admin, "intake", "{\"payload\":{\"a\":1}}");
    assertEquals(4, records("/v1/channels/intake/records?after=0", owner).size(), "first, writer, owner, admin");
    assertEquals(403, http.get("/v1/channels/intake/records?after=0", writer).statusCode(), "writing is not reading");

    assertEquals(200, http.send(HttpMethod.DELETE, "/v1/channels/intake/acl", owner, null, null).statusCode());
    posted(stranger, "intake", "{\"payload\":{\"open\":1}}");
  }

  @Test
  void anAdministratorCreatesAChannelForANamedOwner() {
    assertEquals(403, http.putJson("/v1/channels/plant", stranger, "{\"owner\":\"stranger\"}").statusCode());
    HttpResponse<Buffer> created = http.putJson("/v1/channels/plant", admin, "{\"owner\":\"owner\"}");
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("owner", created.bodyAsJsonObject().getString("owner"));

    posted(stranger, "plant", "{\"payload\":{\"first\":true}}");
    assertEquals("owner", http.get("/v1/channels/plant/acl", stranger).bodyAsJsonObject().getString("owner"),
        "posting first does not take the channel");
    assertEquals(403, http.putJson("/v1/channels/plant/acl", stranger, "{\"readers\":[]}").statusCode());
    assertEquals(200, http.putJson("/v1/channels/plant/acl", owner, "{\"readers\":[]}").statusCode());
    assertEquals(403, post(stranger, "plant", "{\"payload\":{\"second\":true}}").statusCode());

    HttpResponse<Buffer> taken = http.putJson("/v1/channels/plant", admin, "{\"owner\":\"friend\"}");
    assertEquals(409, taken.statusCode(), taken.bodyAsString());
    assertEquals("conflict", taken.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> forced = http.putJson("/v1/channels/plant", admin, "{\"owner\":\"friend\",\"force\":true}");
    assertEquals(200, forced.statusCode(), forced.bodyAsString());
    assertEquals("friend", forced.bodyAsJsonObject().getString("owner"));
    assertEquals(200, http.putJson("/v1/channels/plant", admin, "{\"owner\":\"friend\"}").statusCode(), "idempotent");
    assertEquals(400, http.putJson("/v1/channels/plant", admin, "{\"owner\":\"no one\"}").statusCode());
    assertEquals(400, http.putJson("/v1/channels/plant.results", admin, "{\"owner\":\"owner\"}").statusCode());
  }
}
