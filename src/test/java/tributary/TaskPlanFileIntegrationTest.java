package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.digest.Digests;
import tributary.storage.PlanFile;
import tributary.storage.PlanMarks;
import tributary.storage.StorageClient;
import tributary.storage.TaskStore;
import tributary.store.ClusterSecrets;
import tributary.store.Pg;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/**
 * S7 end to end over HTTP: a storage node's plan file is served as XML valid against the schema,
 * taken back marked in one transaction (a file with one item it may not mark applies nothing),
 * harmlessly sent again, and refused with a JSON 400 when malformed, against the schema, of
 * another node or with a DOCTYPE. Plans run within their window: not handed out before
 * notBefore, and failed "window closed" when notAfter passes unstarted. The test plays the node:
 * the real storage nodes poll only when told of new items ({@code task-poll-ms} is ten minutes), and
 * every plan here opens later than that notice.
 */
class TaskPlanFileIntegrationTest {
  private static final String XML = "application/xml";
  private static TestNode node;
  private static BlobClient blobs;
  private static String user;
  private static String clusterSecret;
  private static final List<String> blobIds = new ArrayList<>();

  @BeforeAll
  static void start() {
    node = TestNode.start("plan-node", Map.of("storage-heartbeat-ms", "200", "task-poll-ms", "600000"));
    blobs = new BlobClient(node.port());
    user = node.http.createUser(node.env.adminToken, "pat");
    Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", user).bodyAsJsonObject()
        .getJsonArray("nodes").size() == 3, 10_000, "three storage nodes heartbeating");
    Random random = new Random(15);
    for (int i = 0; i < 4; i++) {
      byte[] bytes = new byte[5_000];
      random.nextBytes(bytes);
      BlobClient.Reply r = blobs.upload(user, "?type=document", bytes);
      assertEquals(201, r.status(), r.body().toString());
      blobIds.add(r.json().getString("id"));
    }
    // every blob at its three copies, so no mirror item of theirs is left for a node to take
    Http.awaitCondition(() -> node.http.get("/v1/storage/health", user).bodyAsJsonObject().getLong("healthy")
        == blobIds.size(), 20_000, "every blob at three copies");
    io.vertx.sqlclient.Pool pool = Pg.pool(blobs.vertx, node.node.config());
    try {
      clusterSecret = Digests.hex(TestEnv.await(ClusterSecrets.secret(pool, StorageClient.SECRET_NAME)));
    } finally {
      TestEnv.await(pool.close());
    }
  }

  @AfterAll
  static void stop() {
    blobs.close();
    node.close();
  }

  /** Plans a compress task on the blob within the window; returns the plan as the API answered it. */
  private static JsonObject planCompress(String blob, Long notBefore, Long notAfter) {
    JsonObject body = new JsonObject().put("kind", "compress").put("blob", blob);
    if (notBefore != null) {
      body.put("notBefore", notBefore);
    }
    if (notAfter != null) {
      body.put("notAfter", notAfter);
    }
    HttpResponse<Buffer> r = node.http.postJson("/v1/tasks", node.env.adminToken, body.encode());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static JsonObject plan(String planId) {
    return node.http.get("/v1/tasks?kind=compress&limit=1000", node.env.adminToken).bodyAsJsonObject()
        .getJsonArray("plans").stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(planId))
        .findFirst().orElseThrow();
  }

  private static JsonObject onlyItem(JsonObject plan) {
    assertEquals(1, plan.getJsonArray("items").size(), plan.encodePrettily());
    return plan.getJsonArray("items").getJsonObject(0);
  }

  private static HttpResponse<Buffer> getPlanFile(String storeId, String token, Map<String, String> headers) {
    return TestEnv.await(node.http.sendAsync(HttpMethod.GET, "/v1/storage/nodes/" + storeId + "/plan.xml", token,
        null, (String) null, headers));
  }

  /** The node's plan file as served, checked against the schema. */
  private static PlanFile planFile(String storeId) {
    HttpResponse<Buffer> r = getPlanFile(storeId, node.env.adminToken, Map.of());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith(XML), r.getHeader("Content-Type"));
    return PlanFile.parse(r.bodyAsString());
  }

  private static PlanFile.Item itemIn(PlanFile file, long itemId) {
    return file.plans().stream().flatMap(p -> p.items().stream()).filter(i -> i.id() == itemId).findFirst()
        .orElse(null);
  }

  private static HttpResponse<Buffer> putPlanFile(String storeId, String xml) {
    return node.http.send(HttpMethod.PUT, "/v1/storage/nodes/" + storeId + "/plan.xml", node.env.adminToken, XML,
        xml);
  }

  private static void assertRefused(HttpResponse<Buffer> r, String what) {
    assertEquals(400, r.statusCode(), what + ": " + r.bodyAsString());
    assertEquals(PlanFile.INVALID, r.bodyAsJsonObject().getString("error"), what);
    assertFalse(r.bodyAsJsonObject().getString("message").isBlank(), what);
  }

  /** Waits until the plan's item is in its node's plan file, and answers that file. */
  private static PlanFile awaitHandedOut(String storeId, long itemId) {
    PlanFile[] file = new PlanFile[1];
    Http.awaitCondition(() -> {
      file[0] = planFile(storeId);
      return itemIn(file[0], itemId) != null;
    }, 15_000, "item " + itemId + " in the plan file of " + storeId);
    return file[0];
  }

  @Test
  void aPlanIsNotHandedOutBeforeItsWindowOpensAndItsMarksComeBackInOneTransaction() {
    long opens = System.currentTimeMillis() + 5_000;
    JsonObject planned = planCompress(blobIds.get(0), opens, null);
    assertEquals(opens, planned.getLong("notBefore"));
    JsonObject item = onlyItem(planned);
    String storeId = item.getString("node");
    long itemId = item.getLong("item");
    PlanFile early = planFile(storeId);
    assertTrue(early.generatedAt() < opens, "the first look came before the window opened");
    assertEquals(null, itemIn(early, itemId), "not handed out before notBefore");

    PlanFile served = awaitHandedOut(storeId, itemId);
    assertTrue(System.currentTimeMillis() >= opens, "handed out only once the window opened");
    PlanFile.Item mine = itemIn(served, itemId);
    assertEquals(storeId, served.node());
    assertEquals(blobIds.get(0), mine.blob());
    assertEquals(5_000, mine.bytes());
    assertEquals(TaskStore.PLANNED, mine.state());
    long started = System.currentTimeMillis();
    PlanFile marked = served.marked(Map.of(itemId, mine.started(started).finished(TaskStore.DONE, null, null,
        started + 5)));

    // an item of another node in the same file refuses the whole file: nothing applied
    // Another node's item: a task planned an hour ahead (so no node runs it) that landed elsewhere.
    JsonObject elsewhere = null;
    for (int i = 0; elsewhere == null && i < 20; i++) {
      JsonObject other = planCompress(blobIds.get(i % blobIds.size()), System.currentTimeMillis() + 3_600_000, null);
      JsonObject otherItem = onlyItem(other);
      if (!otherItem.getString("node").equals(storeId)) {
        elsewhere = otherItem.put("plan", other.getString("id"));
      }
    }
    assertTrue(elsewhere != null, "a task planned on another node than " + storeId);
    JsonObject foreign = elsewhere;
    List<PlanFile.Plan> withForeign = new ArrayList<>(marked.plans());
    withForeign.add(new PlanFile.Plan(foreign.getString("plan"), tributary.storage.TaskKind.COMPRESS, new JsonObject(),
        null, null, List.of(new PlanFile.Item(foreign.getLong("item"), tributary.storage.TaskKind.COMPRESS,
        foreign.getString("blob"), 0, 9, null, TaskStore.FAILED, 1L, 2L, null, "not mine"))));
    HttpResponse<Buffer> refused = putPlanFile(storeId, new PlanFile(storeId, started, withForeign).toXml());
    assertRefused(refused, "a file with another node's item");
    assertTrue(refused.bodyAsJsonObject().getString("message").contains(String.valueOf(foreign.getLong("item"))),
        refused.bodyAsString());
    assertEquals(TaskStore.PLANNED, onlyItem(plan(planned.getString("id"))).getString("state"),
        "the good item of the refused file was not applied");
    assertEquals(foreign.getString("state"), node.http.get("/v1/tasks?kind=compress&limit=1000", node.env.adminToken)
        .bodyAsJsonObject().getJsonArray("plans").stream().map(JsonObject.class::cast)
        .flatMap(p -> p.getJsonArray("items").stream().map(JsonObject.class::cast))
        .filter(i -> i.getLong("item").equals(foreign.getLong("item"))).findFirst().orElseThrow().getString("state"));

    HttpResponse<Buffer> applied = putPlanFile(storeId, marked.toXml());
    assertEquals(200, applied.statusCode(), applied.bodyAsString());
    assertEquals(1, applied.bodyAsJsonObject().getInteger("changed"));
    JsonObject done = onlyItem(plan(planned.getString("id")));
    assertEquals(TaskStore.DONE, done.getString("state"), done.encode());
    assertEquals(started, done.getLong("startedAt"));
    assertEquals(started + 5, done.getLong("finishedAt"));
    assertEquals(null, itemIn(planFile(storeId), itemId), "a finished item is no longer handed out");

    // the same marks again: accepted, nothing changes
    HttpResponse<Buffer> again = putPlanFile(storeId, marked.toXml());
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(0, again.bodyAsJsonObject().getInteger("changed"));
    assertEquals(done, onlyItem(plan(planned.getString("id"))));
  }

  @Test
  void aPlanWhoseWindowClosesUnstartedHasItsItemsFailedWindowClosed() {
    long now = System.currentTimeMillis();
    JsonObject planned = planCompress(blobIds.get(1), now + 1_500, now + 2_500);
    Http.awaitCondition(() -> {
      JsonObject item = onlyItem(plan(planned.getString("id")));
      return item.getString("state").equals(TaskStore.FAILED);
    }, 30_000, "the unstarted item failed once its window closed");
    JsonObject item = onlyItem(plan(planned.getString("id")));
    assertEquals(PlanMarks.WINDOW_CLOSED, item.getString("error"), item.encode());
    assertTrue(item.getLong("finishedAt") >= now + 2_500, item.encode());
    assertEquals(null, item.getValue("startedAt"), item.encode());
  }

  @Test
  void aFileSentBackAfterTheWindowFailsTheItemsItDidNotStart() {
    long now = System.currentTimeMillis();
    long closes = now + 6_000;
    JsonObject planned = planCompress(blobIds.get(2), now + 1_500, closes);
    JsonObject item = onlyItem(planned);
    String storeId = item.getString("node");
    PlanFile served = awaitHandedOut(storeId, item.getLong("item"));
    Http.awaitCondition(() -> System.currentTimeMillis() > closes, 10_000, "the window closed");
    HttpResponse<Buffer> r = putPlanFile(storeId, served.toXml());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(1, r.bodyAsJsonObject().getInteger("failed"), "the upload, not the sweep, failed it: "
        + r.bodyAsString());
    JsonObject after = onlyItem(plan(planned.getString("id")));
    assertEquals(TaskStore.FAILED, after.getString("state"));
    assertEquals(PlanMarks.WINDOW_CLOSED, after.getString("error"));
  }

  @Test
  void badPlanFilesAreRefusedWithJsonErrorsAndApplyNothing() {
    String storeId = "plan-node-s1";
    PlanFile empty = new PlanFile(storeId, 1, List.of());
    String body = empty.toXml().substring(empty.toXml().indexOf("?>") + 2);
    assertRefused(putPlanFile(storeId, "<taskPlans"), "malformed");
    assertRefused(putPlanFile(storeId, empty.toXml().replace("generatedAt=\"1\"", "generatedAt=\"soon\"")),
        "against the schema");
    assertRefused(putPlanFile(storeId, new PlanFile("plan-node-s2", 1, List.of()).toXml()), "another node's file");
    HttpResponse<Buffer> xxe = putPlanFile(storeId, "<?xml version=\"1.0\"?><!DOCTYPE taskPlans "
        + "[<!ENTITY x SYSTEM \"file:///etc/hostname\">]>" + body.replace("node=\"" + storeId + "\"",
        "node=\"&x;\""));
    assertRefused(xxe, "an external entity");
    assertTrue(xxe.bodyAsJsonObject().getString("message").contains("DOCTYPE"), xxe.bodyAsString());
    assertRefused(putPlanFile(storeId, ""), "no body");
    assertEquals(400, node.http.get("/v1/storage/nodes/" + storeId + "/plan.xml?limit=0", node.env.adminToken)
        .statusCode());
    assertEquals(200, putPlanFile(storeId, empty.toXml()).statusCode(), "a valid empty file is fine");
  }

  @Test
  void onlyAdministratorsAndTheClustersStorageNodesMayFetchOrMarkAPlanFile() {
    String storeId = "plan-node-s1";
    assertEquals(403, getPlanFile(storeId, user, Map.of()).statusCode());
    HttpResponse<Buffer> put = node.http.send(HttpMethod.PUT, "/v1/storage/nodes/" + storeId + "/plan.xml", user,
        XML, new PlanFile(storeId, 1, List.of()).toXml());
    assertEquals(403, put.statusCode());
    assertEquals("forbidden", put.bodyAsJsonObject().getString("error"));
    assertEquals(401, getPlanFile(storeId, null, Map.of()).statusCode());
    HttpResponse<Buffer> wrong = getPlanFile(storeId, null, Map.of(StorageClient.SECRET_HEADER, "00ff"));
    assertEquals(401, wrong.statusCode());
    assertEquals("unauthorized", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> member = getPlanFile(storeId, null, Map.of(StorageClient.SECRET_HEADER, clusterSecret));
    assertEquals(200, member.statusCode(), member.bodyAsString());
    assertEquals(storeId, PlanFile.parse(member.bodyAsString()).node());
    // the cluster credential opens the plan files only
    assertEquals(401, TestEnv.await(node.http.sendAsync(HttpMethod.GET, "/v1/tasks", null, null, (String) null,
        Map.of(StorageClient.SECRET_HEADER, clusterSecret))).statusCode());
  }

  @Test
  void aBadWindowIsAJson400NamingIt() {
    long now = System.currentTimeMillis();
    String blob = blobIds.get(3);
    HttpResponse<Buffer> past = node.http.postJson("/v1/tasks", user, new JsonObject().put("kind", "compress")
        .put("blob", blob).put("notAfter", now - 1_000).encode());
    assertEquals(400, past.statusCode());
    assertTrue(past.bodyAsJsonObject().getString("message").contains("notAfter"), past.bodyAsString());
    HttpResponse<Buffer> reversed = node.http.postJson("/v1/tasks", user, new JsonObject().put("kind", "compress")
        .put("blob", blob).put("notBefore", now + 60_000).put("notAfter", now + 30_000).encode());
    assertEquals(400, reversed.statusCode());
    assertTrue(reversed.bodyAsJsonObject().getString("message").contains("notAfter"), reversed.bodyAsString());
    HttpResponse<Buffer> text = node.http.postJson("/v1/tasks", user, new JsonObject().put("kind", "compress")
        .put("blob", blob).put("notBefore", "tomorrow").encode());
    assertEquals(400, text.statusCode());
    assertTrue(text.bodyAsJsonObject().getString("message").contains("notBefore"), text.bodyAsString());
  }
}
