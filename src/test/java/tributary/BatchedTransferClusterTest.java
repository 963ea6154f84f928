package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tributary.digest.Digests;
import tributary.node.Metrics;
import tributary.storage.LocalBlobStore;
import tributary.storage.NeedleFrames;
import tributary.storage.StorageClient;
import tributary.storage.TaskKind;
import tributary.storage.TaskStore;
import tributary.storage.TransferServer;
import tributary.store.ClusterSecrets;
import tributary.store.Pg;
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

  private static Set<String> healthyStores(Http http, String token, String id) {
    List<String> copies = http.get("/v1/blobs/" + id + "/meta", token).bodyAsJsonObject().getJsonArray("copies")
        .stream().map(JsonObject.class::cast).filter(c -> c.getString("state").equals("healthy"))
        .map(c -> c.getString("node")).toList();
    return copies.size() == new HashSet<>(copies).size() ? Set.copyOf(copies) : Set.of();
  }

  private static double count(Node node, String name) {
    Counter counter = Metrics.registry(node.config()).find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * A batch cut short, one whose frame claims more than a batched blob may have, and one without a
   * secret are refused in the JSON error form; the node goes on serving the uploads that follow.
   */
  private static void refusesBadBatches(Node hub, Http http, String token) {
    JsonObject store = http.get("/v1/storage/nodes", token).bodyAsJsonObject().getJsonArray("nodes").getJsonObject(0);
    String url = store.getString("url") + "/internal/stores/" + store.getString("storeId") + "/needles";
    Vertx vertx = Vertx.vertx();
    Pool pool = Pg.pool(vertx, hub.config());
    try {
      String secret = Digests.hex(await(ClusterSecrets.secret(pool, StorageClient.SECRET_NAME)));
      Buffer whole = NeedleFrames.encode(List.of(new NeedleFrames.Frame(LocalBlobStore.Expected.NOTHING,
          Buffer.buffer("a needle"))));
      Buffer oversized = Buffer.buffer().appendByte((byte) 0).appendInt(NeedleFrames.MAX_BLOB_BYTES + 1);
      WebClient web = WebClient.create(vertx);
      for (Buffer bad : List.of(whole.getBuffer(0, whole.length() - 1), oversized)) {
        HttpResponse<Buffer> r = await(web.putAbs(url).putHeader(StorageClient.SECRET_HEADER, secret).sendBuffer(bad));
        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertEquals("bad_batch", r.bodyAsJsonObject().getString("error"), r.bodyAsString());
      }
      HttpResponse<Buffer> stranger = await(web.putAbs(url).sendBuffer(whole));
      assertEquals(401, stranger.statusCode());
      assertEquals("unauthorized", stranger.bodyAsJsonObject().getString("error"));
      HttpResponse<Buffer> good = await(web.putAbs(url).putHeader(StorageClient.SECRET_HEADER, secret)
          .sendBuffer(whole));
      assertEquals(200, good.statusCode(), good.bodyAsString());
      assertEquals(8, good.bodyAsJsonArray().getJsonObject(0).getLong("size"));
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  /** Mirror items finished in the run's schema: copies that repair or a failed following copy made. */
  private static long mirrorItemsDone(TestEnv env) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = env.migratedPool(vertx, "mirror-count");
      return await(pool.preparedQuery("SELECT count(*) FROM task_items WHERE kind = $1 AND state = $2")
          .execute(Tuple.of(TaskKind.MIRROR.id(), TaskStore.DONE))).iterator().next().getLong(0);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void concurrentSmallUploadsReachTheRemoteStoresInFewerRequestsThanCopies() throws Exception {
    uploadsTravelInBatches(500, Map.of(), true);
  }

  @Test
  void batchesCrossTheTransferPortOverTls() throws Exception {
    uploadsTravelInBatches(100, Map.of("storage-tls", "true"), false);
  }

  private static void uploadsTravelInBatches(int uploads, Map<String, String> extra, boolean badBatchesFirst)
      throws Exception {
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
      if (badBatchesFirst) {
        refusesBadBatches(nodes.get(0), http, token);
      }

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
          // a repair sweep may copy a blob whose third copy landed but was not recorded yet; the extra goes
          Http.awaitCondition(() -> healthyStores(http, token, blob.getKey()).size() == 3, 20_000,
              "three healthy copies on distinct stores of " + blob.getKey());
        }
      } finally {
        clients.shutdownNow();
      }

      double copiesIn = stores.stream().mapToDouble(n -> count(n, "tributary.storage.transfer.copies")).sum();
      double blobRequests = stores.stream().mapToDouble(n -> count(n, TransferServer.UPLOAD_REQUESTS + ".blobs")).sum();
      double batchRequests = stores.stream()
          .mapToDouble(n -> count(n, TransferServer.UPLOAD_REQUESTS + ".batches")).sum();
      long mirrored = mirrorItemsDone(env);
      System.out.println("batched transfer: " + uploads + " small uploads, " + (long) copiesIn + " copies received in "
          + (long) batchRequests + " batch requests and " + (long) blobRequests + " single-blob requests; "
          + mirrored + " mirror items done");
      // A copy that failed to follow its upload is made by a mirror item instead, and one between the
      // two stores of one process does not cross the network: every other copy did.
      assertTrue(copiesIn + mirrored >= 3.0 * shaById.size(), "every copy crossed the network or was mirrored: "
          + copiesIn + " received, " + mirrored + " mirrored");
      assertTrue(batchRequests + blobRequests < copiesIn, "fewer requests than copies: " + (batchRequests
          + blobRequests) + " for " + copiesIn);
    } finally {
      env.drop();
    }
  }
}
