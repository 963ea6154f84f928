// Latency from POST to the record's arrival on a live (SSE) reader of its channel, at a fixed rate.
// Run by ingest.sh as a single-file program: java -cp <deps> IngestLatency.java URL TOKEN RATE SECONDS
// A first pass of the same length warms both JVMs up and is not reported.
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
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
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    HttpClient streams = vertx.createHttpClient();
    measure(vertx, client, streams, base, token, rate, seconds);
    String result = measure(vertx, client, streams, base, token, rate, seconds);
    System.out.println(result);
    vertx.close();
  }

  private static String measure(Vertx vertx, WebClient client, HttpClient streams, URI base, String token, int rate,
      int seconds) throws Exception {
    String channel = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    String padding = "x".repeat(96);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    int total = rate * seconds;
    long[] latencies = new long[total];
    long[] ackLatencies = new long[total];
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);

    // Reader: the channel's live stream, as a dashboard would follow it.
    CountDownLatch open = new CountDownLatch(1);
    StringBuilder pending = new StringBuilder();
    streams.request(new RequestOptions().setHost(base.getHost()).setPort(base.getPort())
            .setURI("/v1/channels/" + channel + "/stream?after=0").putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .onSuccess(resp -> {
          open.countDown();
          resp.handler(buffer -> {
            long now = System.nanoTime();
            pending.append(buffer.toString());
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
              String event = pending.substring(0, end);
              pending.delete(0, end + 2);
              int data = event.indexOf("data: ");
              if (data < 0) {
                continue;
              }
              Long t0 = sentAt.remove(new JsonObject(event.substring(data + 6)).getString("id"));
              if (t0 != null) {
                int n = seen.getAndIncrement();
                if (n < total) {
                  latencies[n] = now - t0;
                }
                if (seen.get() + failed.get() >= total) {
                  done.countDown();
                }
              }
            }
          });
        })
        .onFailure(e -> System.out.println("latency: stream failed " + e));
    open.await(10, TimeUnit.SECONDS);

    // Writer: `rate` single-record posts per second, spread over 1 ms ticks.
    long start = System.nanoTime();
    vertx.setPeriodic(1, t -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent.get() < due) {
        sent.incrementAndGet();
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"type\":\"reading\",\"payload\":{\"site\":\"north\",\"v\":21.5,\"pad\":\""
            + padding + "\"}}";
        long t0 = System.nanoTime();
        sentAt.put(id, t0);
        client.post("/v1/channels/" + channel + "/records").putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).onComplete(ar -> {
              int n = acked.getAndIncrement();
              if (n < total) {
                ackLatencies[n] = System.nanoTime() - t0;
              }
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
    long[] sorted = Arrays.copyOf(latencies, Math.min(seen.get(), total));
    Arrays.sort(sorted);
    long[] acks = Arrays.copyOf(ackLatencies, Math.min(acked.get(), total));
    Arrays.sort(acks);
    return String.format("latency_records=%d latency_failed=%d latency_p50_ms=%.2f latency_p99_ms=%.2f "
            + "latency_max_ms=%.2f ack_p50_ms=%.2f ack_p99_ms=%.2f", sorted.length, failed.get(), pct(sorted, 0.50),
        pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, pct(acks, 0.50),
        pct(acks, 0.99));
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
