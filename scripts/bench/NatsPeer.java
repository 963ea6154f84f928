// The NATS peer of fanout.sh, run as a single-file program with the bench classpath
// (io.nats:jnats is a test-scope dependency, kept out of the fat jar):
//   NatsPeer.java NATS_URL SUBSCRIBERS SUBJECTS RATE SECONDS CONNECTIONS BYTES
// NATS core publish/subscribe in the shape of the bench's delivery run: SUBSCRIBERS subscriptions
// spread over SUBJECTS subjects (subscriber i on subject i % SUBJECTS), shared by CONNECTIONS
// client connections; one publisher sends RATE messages/s of BYTES bytes, round robin over the
// subjects, each carrying its send time. Prints delivery p50/p99 (publish -> subscriber receipt)
// like BenchClient's deliver. NATS core keeps nothing and promises no gap-free resume: this is
// the speed of a bare broker on this machine.
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class NatsPeer {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int subscribers = Integer.parseInt(args[1]);
    int subjects = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int connections = Integer.parseInt(args[5]);
    int bytes = Math.max(16, Integer.parseInt(args[6]));
    String prefix = "tributary.bench." + ProcessHandle.current().pid() + ".";
    int total = rate * seconds;
    long expected = (long) total * subscribers / subjects;
    long[] latencies = new long[(int) expected];
    AtomicInteger received = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    List<Connection> open = new ArrayList<>();
    Options.Builder options = new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(10))
        .maxMessagesInOutgoingQueue(1_000_000);
    for (int c = 0; c < connections; c++) {
      open.add(Nats.connect(options.build()));
    }
    // One dispatcher (one thread) per connection; each of its subscriptions gets its own copy.
    List<Dispatcher> dispatchers = new ArrayList<>();
    for (Connection conn : open) {
      dispatchers.add(conn.createDispatcher());
    }
    for (int i = 0; i < subscribers; i++) {
      dispatchers.get(i % connections).subscribe(prefix + (i % subjects), m -> {
        long now = System.nanoTime();
        long t0 = ByteBuffer.wrap(m.getData()).getLong();
        int n = received.getAndIncrement();
        if (n < latencies.length) {
          latencies[n] = now - t0;
        }
        if (n + 1 >= expected) {
          done.countDown();
        }
      });
    }
    for (Connection conn : open) {
      conn.flush(Duration.ofSeconds(10));
    }
    Connection publisher = Nats.connect(options.build());
    byte[] body = new byte[bytes];
    Arrays.fill(body, (byte) 'x');
    long start = System.nanoTime();
    int sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent < due) {
        ByteBuffer.wrap(body).putLong(System.nanoTime());
        publisher.publish(prefix + (sent % subjects), body);
        sent++;
      }
      Thread.sleep(1);
    }
    publisher.flush(Duration.ofSeconds(10));
    done.await(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] sorted = Arrays.copyOf(latencies, Math.min(received.get(), latencies.length));
    Arrays.sort(sorted);
    System.out.printf("nats_deliveries=%d of %d deliveries_per_s=%.0f delivery_p50_ms=%.2f delivery_p99_ms=%.2f%n",
        received.get(), expected, received.get() / elapsed, pct(sorted, 0.5), pct(sorted, 0.99));
    publisher.close();
    for (Connection conn : open) {
      conn.close();
    }
    System.exit(0);
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
