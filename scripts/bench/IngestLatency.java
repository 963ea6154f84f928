// Latency from POST to the record's appearance on a reader of its channel, at a fixed rate.
// Run by ingest.sh as a single-file program: java -cp <deps> IngestLatency.java URL TOKEN RATE SECONDS
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class IngestLatency {
  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String channel = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    String padding = "x".repeat(150);
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    long start = System.nanoTime();

    // Reader: long cursor walk, one request after another, as a dashboard would poll.
    Runnable[] read = new Runnable[1];
    long[] after = {0};
    read[0] = () -> client.get("/v1/channels/" + channel + "/records?limit=1000&after=" + after[0])
        .putHeader("Authorization", "Bearer " + token).send().onComplete(ar -> {
          long now = System.nanoTime();
          if (ar.succeeded() && ar.result().statusCode() == 200) {
            JsonObject page = ar.result().bodyAsJsonObject();
            JsonArray records = page.getJsonArray("records");
            for (int i = 0; i < records.size(); i++) {
              Long t0 = sentAt.remove(records.getJsonObject(i).getString("id"));
              if (t0 != null) {
                int n = seen.getAndIncrement();
                if (n < total) {
                  latencies[n] = now - t0;
                }
              }
            }
            after[0] = page.getLong("next");
          }
          if (seen.get() + failed.get() >= total) {
            done.countDown();
          } else {
            vertx.runOnContext(v -> read[0].run());
          }
        });
    read[0].run();

    // Writer: `rate` single-record posts per second, spread over 1 ms ticks.
    vertx.setPeriodic(1, t -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent.get() < due) {
        sent.incrementAndGet();
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"type\":\"reading\",\"payload\":{\"site\":\"north\",\"v\":21.5,\"pad\":\""
            + padding + "\"}}";
        sentAt.put(id, System.nanoTime());
        client.post("/v1/channels/" + channel + "/records").putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).onComplete(ar -> {
              if (ar.failed() || ar.result().statusCode() != 202) {
                failed.incrementAndGet();
                sentAt.remove(id);
              }
            });
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(t);
      }
    });
    if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
      System.out.println("latency: timed out, seen " + seen.get() + " of " + total);
    }
    int n = Math.min(seen.get(), total);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("latency_records=%d latency_failed=%d latency_rate=%.0f latency_p50_ms=%.2f latency_p99_ms=%.2f "
            + "latency_max_ms=%.2f%n", n, failed.get(), sent.get() / Math.max(elapsed, seconds),
        pct(sorted, 0.50), pct(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6);
    vertx.close();
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
