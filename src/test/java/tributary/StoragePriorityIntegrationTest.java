package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/**
 * E7: storage work is done in the priority of the data it serves. A backlog of tasks on
 * low-priority blobs and one on a priority-0 blob all become runnable at the same moment (their
 * plans share a window that opens after every one of them is planned); on the node that runs the
 * urgent one, it is in the first batch the node takes, so fewer than a batch's worth of the
 * backlog finish before it, where arrival order would have put it last.
 */
class StoragePriorityIntegrationTest {
  /** Items a storage node takes at once (TaskPoller's batch). */
  private static final int BATCH = 4;
  private static final int BACKLOG = 45;
  private static final int BLOB_BYTES = 2_000;

  @Test
  void priorityZeroWorkIsDoneBeforeABacklogOfLowPriorityWork() {
    try (TestNode node = TestNode.start("priority-node", Map.of("storage-heartbeat-ms", "200",
        "task-poll-ms", "100"));
         BlobClient blobs = new BlobClient(node.port())) {
      String user = node.http.createUser(node.env.adminToken, "quinn");
      Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", user).bodyAsJsonObject()
          .getJsonArray("nodes").size() == 3, 10_000, "three storage nodes heartbeating");
      Random random = new Random(7);
      List<String> low = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        low.add(upload(blobs, user, "?type=document", random));
      }
      String urgent = upload(blobs, user, "?type=document&priority=0", random);
      JsonObject meta = node.http.get("/v1/blobs/" + urgent + "/meta", user).bodyAsJsonObject();
      assertEquals(0, meta.getInteger("priority"), meta.encode());
      Http.awaitCondition(() -> node.http.get("/v1/storage/health", user).bodyAsJsonObject().getLong("healthy")
          == BACKLOG + 1, 30_000, "every blob at three copies");

      // the backlog in three rounds, each once the last one's work shows in the nodes' load: a node's
      // pending work is part of its load score (S2), so the rounds spread over all three nodes and
      // the urgent item, planned last so that arrival order alone would run it last, finds a
      // backlog wherever its own load sends it (planned at once, the backlog went to the one node
      // the score favoured then, and the urgent item to another whenever a heartbeat came between)
      // (three rounds left a node without backlog in 2 of 6 runs: rounds go on, over the backlog's
      // blobs again, until every node has more than a batch waiting)
      long opens = System.currentTimeMillis() + 15_000;
      List<Future<HttpResponse<Buffer>>> planned = new ArrayList<>();
      int perRound = BACKLOG / 3;
      for (int round = 0; round < 3 || leastPendingBytes(node, user) <= (long) BATCH * BLOB_BYTES; round++) {
        assertTrue(round < 12, "every node got a backlog within 12 rounds");
        for (int i = 0; i < perRound; i++) {
          planned.add(compress(node, user, low.get((round * perRound + i) % BACKLOG), opens));
        }
        TestEnv.await(Future.join(planned));
        long plannedBytes = (long) planned.size() * BLOB_BYTES;
        Http.awaitCondition(() -> pendingBytes(node, user) >= plannedBytes, 10_000,
            "the planned work in the nodes' reported load");
      }
      planned.add(compress(node, user, urgent, opens));
      TestEnv.await(Future.join(planned));
      assertTrue(System.currentTimeMillis() < opens, "the whole backlog was planned before its window opened");
      List<String> planIds = new ArrayList<>();
      for (Future<HttpResponse<Buffer>> r : planned) {
        assertEquals(202, r.result().statusCode(), r.result().bodyAsString());
        planIds.add(r.result().bodyAsJsonObject().getString("id"));
      }

      List<JsonObject> items = new ArrayList<>();
      Http.awaitCondition(() -> {
        items.clear();
        node.http.get("/v1/tasks?kind=compress&limit=1000", user).bodyAsJsonObject().getJsonArray("plans").stream()
            .map(JsonObject.class::cast).filter(p -> planIds.contains(p.getString("id")))
            .forEach(p -> items.add(p.getJsonArray("items").getJsonObject(0)));
        return items.size() == planIds.size() && items.stream().allMatch(i -> i.getString("state").equals("done"));
      }, 60_000, "every compress task done");

      JsonObject urgentItem = items.stream().filter(i -> i.getString("blob").equals(urgent)).findFirst()
          .orElseThrow();
      assertEquals(0, urgentItem.getInteger("priority"), urgentItem.encode());
      String runner = urgentItem.getString("node");
      List<JsonObject> sameNode = items.stream().filter(i -> i.getString("node").equals(runner))
          .sorted(Comparator.comparingLong((JsonObject i) -> i.getLong("finishedAt"))).toList();
      // with more than a batch on its node, arrival order would finish a whole batch before it
      assertTrue(sameNode.size() > BATCH, "the urgent item's node had a backlog of its own: " + sameNode.size()
          + " items");
      long finishedBefore = sameNode.stream()
          .filter(i -> i.getLong("finishedAt") < urgentItem.getLong("finishedAt")).count();
      assertTrue(finishedBefore < BATCH, finishedBefore + " low-priority items of " + (sameNode.size() - 1)
          + " on " + runner + " finished before the priority-0 one");
      assertTrue(items.stream().filter(i -> !i.getString("blob").equals(urgent))
          .allMatch(i -> i.getInteger("priority") == 9), "blobs uploaded without a priority are the lowest");
    }
  }

  private static String upload(BlobClient blobs, String user, String query, Random random) {
    byte[] bytes = new byte[BLOB_BYTES];
    random.nextBytes(bytes);
    BlobClient.Reply r = blobs.upload(user, query, bytes);
    assertEquals(201, r.status(), r.body().toString());
    return r.json().getString("id");
  }

  /** The task bytes the storage nodes last reported as waiting or running, all nodes together. */
  private static long pendingBytes(TestNode node, String user) {
    return pendingByNode(node, user).sum();
  }

  /** The fewest task bytes any storage node last reported as waiting or running. */
  private static long leastPendingBytes(TestNode node, String user) {
    return pendingByNode(node, user).min().orElse(0);
  }

  private static java.util.stream.LongStream pendingByNode(TestNode node, String user) {
    return node.http.get("/v1/storage/nodes", user).bodyAsJsonObject().getJsonArray("nodes").stream()
        .map(JsonObject.class::cast).mapToLong(n -> n.getJsonObject("load").getLong("pendingTaskBytes"));
  }

  private static Future<HttpResponse<Buffer>> compress(TestNode node, String user, String blob, long notBefore) {
    return node.http.sendAsync(HttpMethod.POST, "/v1/tasks", user, "application/json", new JsonObject()
        .put("kind", "compress").put("blob", blob).put("notBefore", notBefore).encode());
  }
}
