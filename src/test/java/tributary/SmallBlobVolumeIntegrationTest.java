package tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * Small blobs in volumes (S1) through the public API, on one all-roles node with three storage
 * nodes: many concurrent small uploads all read back byte-exact, and deleted small blobs give
 * their space back once their volumes are compacted.
 */
class SmallBlobVolumeIntegrationTest {
  private static final Map<String, String> SETTINGS = Map.of("storage-heartbeat-ms", "200", "storage-down-ms", "2000",
      "task-poll-ms", "200", "scrub-period-ms", "3600000", "storage-volume-mib", "1");

  private static byte[] blob(int i, int size) {
    byte[] bytes = new byte[size];
    new Random(i).nextBytes(bytes);
    return bytes;
  }

  /** Runs {@code work} for 0..count-1 on {@code clients} threads at once. */
  private static void concurrently(int clients, int count, IntConsumer work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          for (int i = client; i < count; i += clients) {
            work.accept(i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Uploads blob i (of {@code size} bytes) for i in 0..count-1 from {@code clients} at once; their ids by i. */
  private static Map<Integer, String> uploaded(BlobClient blobs, String token, int clients, int count, int size)
      throws Exception {
    Map<Integer, String> ids = new ConcurrentHashMap<>();
    concurrently(clients, count, i -> {
      BlobClient.Reply r = blobs.upload(token, "?type=other", blob(i, size));
      assertEquals(201, r.status(), r.body().toString());
      assertTrue(r.json().getJsonArray("copies").getJsonObject(0).getString("path").startsWith("volumes/"),
          r.json().encode());
      ids.put(i, r.json().getString("id"));
    });
    assertEquals(count, ids.size());
    return ids;
  }

  private static String userOnStorage(TestNode node, String name) {
    String token = node.http.createUser(node.env.adminToken, name);
    Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", token).bodyAsJsonObject()
        .getJsonArray("nodes").size() == 3, 10_000, "three storage nodes heartbeating");
    return token;
  }

  @Test
  void tenThousandSmallBlobsFromThirtyTwoClientsAllReadBackByteExact() throws Exception {
    int count = 10_000;
    try (TestNode node = TestNode.start("volume-node", SETTINGS); BlobClient blobs = new BlobClient(node.port(), 32)) {
      String token = userOnStorage(node, "dora");
      long started = System.nanoTime();
      Map<Integer, String> ids = uploaded(blobs, token, 32, count, 1024);
      System.out.printf("small blobs: %d uploads of 1 KiB from 32 clients in %.1f s%n", count,
          (System.nanoTime() - started) / 1e9);
      concurrently(32, count, i -> {
        BlobClient.Reply r = blobs.get(token, "/v1/blobs/" + ids.get(i), Map.of(), true);
        assertEquals(200, r.status());
        assertArrayEquals(blob(i, 1024), r.body().getBytes(), "blob " + i);
      });
    }
  }

  @Test
  void deletedSmallBlobsGiveTheirSpaceBackOnceTheirVolumesAreCompacted() throws Exception {
    int count = 400;
    try (TestNode node = TestNode.start("compact-node", SETTINGS); BlobClient blobs = new BlobClient(node.port(), 8)) {
      String token = userOnStorage(node, "erin");
      Map<Integer, String> ids = uploaded(blobs, token, 8, count, 8192);
      Http.awaitCondition(() -> node.http.get("/v1/storage/health", token).bodyAsJsonObject()
          .getLong("healthy") == count, 60_000, "every blob at three copies");
      Path blobsDir = node.node.config().dataDir().resolve("blobs");
      long before = volumeBytes(blobsDir);
      assertTrue(before >= 3L * count * 8192, "three copies of every blob in volumes: " + before);
      concurrently(8, count, i -> {
        if (i % 10 != 0) {
          assertEquals(204, blobs.send(HttpMethod.DELETE, "/v1/blobs/" + ids.get(i), token).status());
        }
      });
      // what may stay: the kept tenth, and each store's active volume (at most 1 MiB), never compacted
      long bound = 3L * count / 10 * 8300 + 3L * (1 << 20);
      Http.awaitCondition(() -> volumeBytes(blobsDir) < bound, 60_000, "deleted blobs' space reclaimed below " + bound
          + " bytes (from " + before + ")");
      for (int i = 0; i < count; i += 10) {
        BlobClient.Reply r = blobs.get(token, "/v1/blobs/" + ids.get(i), Map.of(), true);
        assertEquals(200, r.status());
        assertArrayEquals(blob(i, 8192), r.body().getBytes(), "kept blob " + i);
      }
    }
  }

  /**
   * Bytes of every volume file under the node's blob folders; {@link Long#MAX_VALUE} when a
   * compaction removed a file while the folders were listed (the caller looks again).
   */
  private static long volumeBytes(Path blobsDir) {
    try (Stream<Path> files = Files.walk(blobsDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".vol")).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException gone) {
          throw new java.io.UncheckedIOException(gone);
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException listedWhileCompacting) {
      return Long.MAX_VALUE;
    }
  }
}
