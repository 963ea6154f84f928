package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tributary.node.Metrics;
import tributary.storage.TransferServer;
import tributary.support.BlobClient;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Issue 18 (S1, S2, X5): small uploads travel between nodes in batches. A hub that holds no
 * storage takes 500 small uploads (100 over TLS) from 16 clients at once; every copy crosses the
 * network to one of two storage processes (two stores each). Every blob is readable byte-exact
 * with three healthy copies on distinct stores, the few that claim a wrong SHA-256 are refused
 * alone, and the storage processes received fewer upload requests than copies.
 */
class BatchedTransferClusterTest {
  private static final int CLIENTS = 16;
  /** Every this many uploads claims a SHA-256 its bytes do not have. */
  private static final int LIAR_EVERY = 50;

  private static JsonObject health(Http http, String token) {
    return http.get("/v1/storage/health", token).bodyAsJsonObject();
  }

  private static double count(Node node, String name) {
    Counter counter = Metrics.registry(node.config()).find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void concurrentSmallUploadsReachTheRemoteStoresInFewerRequestsThanCopies() throws Exception {
    uploadsTravelInBatches(500, Map.of());
  }

  @Test
  void batchesCrossTheTransferPortOverTls() throws Exception {
    uploadsTravelInBatches(100, Map.of("storage-tls", "true"));
  }

  private static void uploadsTravelInBatches(int uploads, Map<String, String> extra) throws Exception {
    TestEnv env = new TestEnv();
    Map<String, String> settings = new LinkedHashMap<>(Map.of("storage-nodes", "2", "storage-copies", "3",
        "storage-heartbeat-ms", "200", "scrub-period-ms", "3600000"));
    settings.putAll(extra);
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("hub", "management,console");
    roles.put("store-a", "storage");
    roles.put("store-b", "storage");
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, settings);
      Http http = new Http(nodes.get(0).config().httpPort());
      String token = http.createUser(env.adminToken, "carol");
      Http.awaitCondition(() -> health(http, token).getLong("nodesUp") == 4, 20_000, "four storage nodes up");
      List<Node> stores = nodes.subList(1, 3);

      Map<String, String> shaById = new ConcurrentHashMap<>();
      List<String> wrong = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger refusedLiars = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try (BlobClient blobs = new BlobClient(nodes.get(0).config().httpPort(), CLIENTS)) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          done.add(clients.submit(() -> {
            for (int i = next.getAndIncrement(); i < uploads; i = next.getAndIncrement()) {
              byte[] bytes = new byte[1 + new Random(i).nextInt(64 << 10)];
              new Random(i).nextBytes(bytes);
              boolean liar = i % LIAR_EVERY == 0;
              Map<String, String> claim = liar ? Map.of("X-Checksum-SHA256", BlobClient.sha256(new byte[] {1}))
                  : Map.of("X-Checksum-SHA256", BlobClient.sha256(bytes));
              BlobClient.Reply r = blobs.upload(token, "?type=document", bytes, claim);
              if (liar && r.status() == 400 && r.body().toString().contains("checksum_mismatch")) {
                refusedLiars.incrementAndGet();
              } else if (!liar && r.status() == 201) {
                shaById.put(r.json().getString("id"), BlobClient.sha256(bytes));
              } else {
                wrong.add(i + ": " + r.status() + " " + r.body());
              }
            }
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
        assertTrue(wrong.isEmpty(), "unexpected answers: " + wrong);
        assertEquals(uploads / LIAR_EVERY, refusedLiars.get(), "each wrong claim refused alone");
        assertEquals(uploads - uploads / LIAR_EVERY, shaById.size());

        Http.awaitCondition(() -> health(http, token).getLong("healthy") == shaById.size(), 30_000,
            "every blob at three healthy copies");
        for (Map.Entry<String, String> blob : shaById.entrySet()) {
          BlobClient.Reply back = blobs.get(token, "/v1/blobs/" + blob.getKey(), Map.of(), false);
          assertEquals(200, back.status(), blob.getKey());
          assertEquals(blob.getValue(), back.sha256(), "byte-exact " + blob.getKey());
          List<String> copies = http.get("/v1/blobs/" + blob.getKey() + "/meta", token).bodyAsJsonObject()
              .getJsonArray("copies").stream().map(JsonObject.class::cast)
              .filter(c -> c.getString("state").equals("healthy")).map(c -> c.getString("node")).toList();
          assertEquals(3, copies.stream().distinct().count(), blob.getKey() + " " + copies);
        }
      } finally {
        clients.shutdownNow();
      }

      double copiesIn = stores.stream().mapToDouble(n -> count(n, "tributary.storage.transfer.copies")).sum();
      double blobRequests = stores.stream().mapToDouble(n -> count(n, TransferServer.UPLOAD_REQUESTS + ".blobs")).sum();
      double batchRequests = stores.stream()
          .mapToDouble(n -> count(n, TransferServer.UPLOAD_REQUESTS + ".batches")).sum();
      System.out.println("batched transfer: " + uploads + " small uploads, " + (long) copiesIn + " copies received in "
          + (long) batchRequests + " batch requests and " + (long) blobRequests + " single-blob requests");
      assertTrue(copiesIn >= 3.0 * shaById.size(), "every copy crossed the network: " + copiesIn);
      assertTrue(batchRequests + blobRequests < copiesIn, "fewer requests than copies: " + (batchRequests
          + blobRequests) + " for " + copiesIn);
    }
  }
}
