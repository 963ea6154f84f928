package tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tributary.storage.volume.VolumeSet;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.StoreFolder;
import tributary.support.TestEnv;

/**
 * X5 and S1 for small blobs: a storage node's process is killed with SIGKILL while 32 clients
 * upload 1 KiB blobs, some of them to it. Every copy it acknowledged (every copy the catalog
 * records on it) is in its volumes with its hash, and no needle there is half-written or
 * otherwise than its name says; once started again it cuts off what the crash tore, and every
 * acknowledged blob reads back with its hash.
 */
class SmallBlobCrashIntegrationTest {
  private static final int WRITERS = 32;

  private static NodeProcess process(TestEnv env, Path runDir, String id, String roles, int stores, int clusterPort,
      String members, String clusterName) {
    Map<String, String> o = new LinkedHashMap<>(env.settings(id));
    // the administrator token goes in the environment, never on a command line that ps shows
    o.remove("admin-token");
    o.put("roles", roles);
    o.put("site", "site-" + id);
    o.put("cluster", "true");
    o.put("cluster-port", String.valueOf(clusterPort));
    o.put("cluster-members", members);
    o.put("cluster-name", clusterName);
    o.put("storage-nodes", String.valueOf(stores));
    o.put("storage-heartbeat-ms", "200");
    o.put("storage-down-ms", "2000");
    o.put("task-poll-ms", "200");
    o.put("scrub-period-ms", "3600000");
    o.put("storage-min-free-mib", "16");
    return new NodeProcess(id, roles, Integer.parseInt(o.get("http-port")), Path.of(o.get("data-dir")), o,
        Map.of("TRIBUTARY_ADMIN_TOKEN", env.adminToken), runDir.resolve(id + ".log"));
  }

  @Test
  void aStorageNodeKilledMidWriteKeepsEveryNeedleItAcknowledgedAndNoneHalfWritten() throws Exception {
    TestEnv env = new TestEnv();
    Path runDir = Path.of("target", "faults", "small-blob-crash-" + System.currentTimeMillis()).toAbsolutePath();
    List<Integer> ports = List.of(TestEnv.freePort(), TestEnv.freePort());
    String members = "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
    String clusterName = "crash-" + env.schema;
    NodeProcess hub = process(env, runDir, "hub", "management,console,storage", 2, ports.get(0), members, clusterName);
    NodeProcess store = process(env, runDir, "store", "storage", 1, ports.get(1), members, clusterName);
    Vertx vertx = Vertx.vertx();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    try (hub; store) {
      hub.start();
      store.start();
      Http http = new Http(hub.httpPort);
      http.awaitReady(90_000);
      String token = http.createUser(env.adminToken, "fay");
      Http.awaitCondition(() -> http.get("/v1/storage/health", token).bodyAsJsonObject().getLong("nodesUp") == 3,
          60_000, "three storage nodes up");
      BlobClient blobs = new BlobClient(hub.httpPort, WRITERS);

      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger refused = new AtomicInteger();
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Random random = new Random(w);
        running.add(writers.submit(() -> {
          while (writing.get()) {
            byte[] bytes = new byte[1024];
            random.nextBytes(bytes);
            try {
              BlobClient.Reply r = blobs.upload(token, "?type=other", bytes);
              if (r.status() == 201) {
                acknowledged.put(r.json().getString("id"), BlobClient.sha256(bytes));
              } else {
                refused.incrementAndGet();
              }
            } catch (RuntimeException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Http.awaitCondition(() -> acknowledged.size() >= 600, 120_000, "600 small blobs acknowledged");
      store.kill9();
      int atKill = acknowledged.size();
      Http.awaitCondition(() -> acknowledged.size() >= atKill + 150, 120_000, "writes going on without the store");
      writing.set(false);
      for (java.util.concurrent.Future<?> f : running) {
        f.get(2, TimeUnit.MINUTES);
      }

      // the dead node's folder, read as it lies: every copy recorded on it is there whole
      Path folder = store.dataDir.resolve("blobs").resolve("store");
      Pool pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)).using(vertx).build();
      List<String> recorded = new ArrayList<>();
      for (Row row : await(pg.preparedQuery("SELECT DISTINCT sha256 FROM " + env.schema
          + ".blob_copies WHERE store_id = $1").execute(Tuple.of("store")))) {
        recorded.add(row.getString(0));
      }
      await(pg.close());
      Map<String, VolumeSet.Location> live = VolumeSet.liveIn(folder.resolve("volumes"));
      assertTrue(recorded.size() > 100, "the store held copies before it died: " + recorded.size());
      for (String sha : recorded) {
        assertTrue(live.containsKey(sha), "acknowledged copy " + sha + " is in the store's volumes");
      }
      for (String sha : live.keySet()) {
        assertEquals(sha, BlobClient.sha256(StoreFolder.bytes(folder, sha)), "a needle is what its name says");
      }

      store.start();
      Http.awaitCondition(() -> http.get("/v1/storage/health", token).bodyAsJsonObject().getLong("nodesDown") == 0,
          90_000, "the store back up");
      List<String> bad = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> ids = List.copyOf(acknowledged.keySet());
      AtomicInteger next = new AtomicInteger();
      List<java.util.concurrent.Future<?>> reads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        reads.add(writers.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < ids.size(); ) {
            String id = ids.get(i);
            BlobClient.Reply r = blobs.get(token, "/v1/blobs/" + id, Map.of(), false);
            if (r.status() != 200 || !acknowledged.get(id).equals(r.sha256())) {
              bad.add(id + ": " + r.status() + " " + r.sha256());
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : reads) {
        f.get(5, TimeUnit.MINUTES);
      }
      System.out.printf("small-blob crash: %d acknowledged (%d refused), %d copies recorded on the killed store, "
          + "%d live needles there%n", acknowledged.size(), refused.get(), recorded.size(), live.size());
      assertEquals(List.of(), bad, "acknowledged blobs that did not read back with their hash");
      blobs.close();
      http.close();
    } finally {
      writers.shutdownNow();
      vertx.close();
      env.drop();
    }
  }
}
