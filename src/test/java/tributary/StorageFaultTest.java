package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Cluster;
import tributary.support.GeneratedStream;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Storage under node loss (S4, X5), on a cluster of one management/console node and four
 * single-store storage nodes: (a) a storage node dies, every blob is back to three healthy copies
 * within the stated bound while downloads keep succeeding, and when it comes back its extra
 * copies are dropped; (c) a storage node dies during an upload to it, and the upload either fails
 * cleanly or is acknowledged with two durable copies, never with fewer.
 */
class StorageFaultTest {
  /** Down after 2 s of silence, planned on the next 0.2 s sweep, small copies take well under 1 s. */
  private static final long REPAIR_BOUND_MS = 10_000;
  private static final Map<String, String> SETTINGS = Map.of("storage-nodes", "1", "storage-heartbeat-ms", "200",
      "storage-down-ms", "2000", "task-poll-ms", "200", "scrub-period-ms", "3600000");

  private static Map<String, String> roles() {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("hub", "management,console");
    for (int i = 1; i <= 4; i++) {
      roles.put("store-" + i, "storage");
    }
    return roles;
  }

  private static JsonObject health(Http http, String token) {
    return http.get("/v1/storage/health", token).bodyAsJsonObject();
  }

  private static List<String> readableCopies(Http http, String token, String id) {
    return http.get("/v1/blobs/" + id + "/meta", token).bodyAsJsonObject().getJsonArray("copies").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("state").equals("healthy") && c.getString("nodeState").equals("up"))
        .map(c -> c.getString("node")).toList();
  }

  @Test
  void aStorageNodeLostIsRepairedToThreeCopiesWhileDownloadsSucceed() {
    TestEnv env = new TestEnv();
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles(), SETTINGS);
      Http http = new Http(nodes.get(0).config().httpPort());
      BlobClient blobs = new BlobClient(nodes.get(0).config().httpPort());
      String token = http.createUser(env.adminToken, "carol");
      Http.awaitCondition(() -> health(http, token).getLong("nodesUp") == 4, 20_000, "four storage nodes up");

      Map<String, String> shaById = new LinkedHashMap<>();
      Random random = new Random(5);
      for (int i = 0; i < 24; i++) {
        byte[] bytes = new byte[20_000 + random.nextInt(200_000)];
        random.nextBytes(bytes);
        BlobClient.Reply r = blobs.upload(token, "?type=document", bytes);
        assertEquals(201, r.status(), r.body().toString());
        shaById.put(r.json().getString("id"), BlobClient.sha256(bytes));
      }
      Http.awaitCondition(() -> health(http, token).getLong("healthy") == shaById.size(), 20_000,
          "every blob at three copies");

      // downloads run all through the loss and the repair
      AtomicBoolean reading = new AtomicBoolean(true);
      AtomicInteger reads = new AtomicInteger();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> ids = List.copyOf(shaById.keySet());
      Thread reader = new Thread(() -> {
        int n = 0;
        while (reading.get()) {
          String id = ids.get(n++ % ids.size());
          try {
            BlobClient.Reply r = blobs.get(token, "/v1/blobs/" + id, Map.of(), false);
            if (r.status() != 200 || !shaById.get(id).equals(r.sha256())) {
              failures.add(id + ": " + r.status() + ", " + r.size() + " bytes, sha256 " + r.sha256());
            }
          } catch (AssertionError | RuntimeException e) {
            failures.add(id + ": " + e.getMessage());
          }
          reads.incrementAndGet();
        }
      });
      reader.start();

      String victim = nodes.get(1).config().nodeId();
      long lostAt = System.currentTimeMillis();
      Cluster.crash(nodes.get(1));
      Http.awaitCondition(() -> {
        JsonObject h = health(http, token);
        return h.getLong("nodesDown") == 1 && h.getLong("healthy") == shaById.size();
      }, REPAIR_BOUND_MS, "every blob back to three healthy copies after losing " + victim);
      long repairedMs = System.currentTimeMillis() - lostAt;
      for (String id : ids) {
        List<String> copies = readableCopies(http, token, id);
        assertEquals(3, copies.size(), id + " " + copies);
        assertEquals(3, copies.stream().distinct().count(), "copies on distinct nodes: " + copies);
        assertTrue(!copies.contains(victim));
      }
      int readsAfterRepair = reads.get();
      Http.awaitCondition(() -> reads.get() > readsAfterRepair + 5, 10_000, "downloads still going");
      System.out.println("storage repair: lost " + victim + ", all " + ids.size() + " blobs at three copies after "
          + repairedMs + " ms; " + reads.get() + " downloads, " + failures.size() + " failed");

      // the node comes back: its copies are readable again, so the extras go
      cluster.restart(victim);
      Http.awaitCondition(() -> health(http, token).getLong("nodesDown") == 0, 20_000, victim + " back up");
      Http.awaitCondition(() -> ids.stream().allMatch(id -> readableCopies(http, token, id).size() == 3), 20_000,
          "extra copies dropped once " + victim + " came back");
      reading.set(false);
      reader.join();
      assertEquals(List.of(), failures, "downloads that failed during the loss and repair");
      blobs.close();
      http.close();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      env.drop();
    }
  }

  @Test
  void aNodeDyingMidUploadNeverLeavesAnAcknowledgementWithFewerThanTwoCopies() throws IOException {
    TestEnv env = new TestEnv();
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles(), SETTINGS);
      Http http = new Http(nodes.get(0).config().httpPort());
      BlobClient blobs = new BlobClient(nodes.get(0).config().httpPort());
      String token = http.createUser(env.adminToken, "dave");
      Http.awaitCondition(() -> health(http, token).getLong("nodesUp") == 4, 20_000, "four storage nodes up");

      Map<String, Node> byTmp = new ConcurrentHashMap<>();
      AtomicBoolean crashed = new AtomicBoolean();
      java.util.concurrent.atomic.AtomicReference<String> crashedId = new java.util.concurrent.atomic.AtomicReference<>();
      long size = 64L << 20;
      GeneratedStream stream = new GeneratedStream(blobs.vertx.getOrCreateContext(), size, 9)
          .whenSent(24L << 20, () -> {
            // kill one of the two nodes receiving the upload: the one with a partial file
            for (Node n : nodes.subList(1, nodes.size())) {
              if (hasPartialFile(env, n.config().nodeId())) {
                byTmp.put(n.config().nodeId(), n);
              }
            }
            byTmp.values().stream().findFirst().ifPresent(n -> {
              crashed.set(true);
              crashedId.set(n.config().nodeId());
              Cluster.crash(n);
            });
          });
      BlobClient.Reply reply;
      try {
        reply = await(blobs.upload(token, "?type=video", stream));
      } catch (AssertionError connectionClosed) {
        reply = null;
      }
      assertTrue(crashed.get(), "a receiving node was found and killed: " + byTmp.keySet());
      if (reply != null && reply.status() == 201) {
        String id = reply.json().getString("id");
        List<String> copies = readableCopies(http, token, id);
        assertTrue(copies.size() >= 2, "acknowledged with " + copies);
      } else {
        assertTrue(reply == null || reply.status() == 503, "a clean failure: " + (reply == null ? "connection closed"
            : reply.status() + " " + reply.body()));
        if (reply != null) {
          assertEquals("unavailable", reply.json().getString("error"));
        }
        assertEquals(0L, health(http, token).getLong("blobs"), "nothing recorded for a failed upload");
        for (Node n : nodes.subList(1, nodes.size())) {
          String id = n.config().nodeId();
          if (!id.equals(crashedId.get())) {
            Http.awaitCondition(() -> !hasPartialFile(env, id), 10_000, "no partial file left on " + id);
          }
        }
      }
      blobs.close();
      http.close();
    } finally {
      env.drop();
    }
  }

  private static boolean hasPartialFile(TestEnv env, String nodeId) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "tributary-test-" + env.schema, nodeId, "blobs", nodeId,
        "tmp");
    try (Stream<Path> files = Files.exists(tmp) ? Files.list(tmp) : Stream.empty()) {
      return files.anyMatch(p -> p.toString().endsWith(".part"));
    } catch (IOException e) {
      return false;
    }
  }
}
