// The RabbitMQ peer of dispatch.sh, run as a single-file program with the bench classpath
// (com.rabbitmq:amqp-client is a test-scope dependency, kept out of the fat jar):
//   RabbitPeer.java AMQP_URI throughput SECONDS PUBLISHERS    confirmed durable publishing, msgs/s
//   RabbitPeer.java AMQP_URI latency RATE SECONDS             publish -> consumer receipt at RATE/s
// Both use a durable queue of their own declared with x-max-priority 10, persistent 1 KB messages
// at priorities spread over 0..9, publisher confirms and a consumer with manual acks; the queue is
// deleted at the end. In throughput mode every publisher (a channel of its own) keeps one
// unconfirmed message out and publishes the next when the broker confirms it, as each wrk
// connection keeps one send_data request out until its 202 (which comes after the PostgreSQL commit).
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class RabbitPeer {
  static final int PAYLOAD_BYTES = 1024;
  /** Publishers share this many connections, as wrk's connections share its threads. */
  static final int CONNECTIONS = 4;

  public static void main(String[] args) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(args[0]);
    String queue = "tributary-bench-" + ProcessHandle.current().pid();
    try (Connection admin = factory.newConnection("bench-admin")) {
      Channel ch = admin.createChannel();
      ch.queueDeclare(queue, true, false, false, Map.of("x-max-priority", 10));
      try {
        switch (args[1]) {
          case "throughput" -> throughput(factory, queue, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
          case "latency" -> {
            latency(factory, queue, Integer.parseInt(args[2]), Integer.parseInt(args[3])); // warm-up pass
            System.out.println(latency(factory, queue, Integer.parseInt(args[2]), Integer.parseInt(args[3])));
          }
          default -> throw new IllegalArgumentException(args[1]);
        }
      } finally {
        ch.queueDelete(queue);
      }
    }
    System.exit(0);
  }

  static byte[] payload(long seq, long t0) {
    byte[] body = new byte[PAYLOAD_BYTES];
    Arrays.fill(body, (byte) 'x');
    ByteBuffer.wrap(body).putLong(seq).putLong(t0);
    return body;
  }

  static AMQP.BasicProperties props(long seq) {
    return new AMQP.BasicProperties.Builder().deliveryMode(2).priority((int) (seq % 10))
        .contentType("application/octet-stream").build();
  }

  /** A consumer on a connection of its own, acking each message; {@code onMessage} gets each body. */
  static Connection consume(ConnectionFactory factory, String queue, java.util.function.Consumer<byte[]> onMessage)
      throws Exception {
    Connection c = factory.newConnection("bench-consumer");
    Channel ch = c.createChannel();
    ch.basicQos(1000);
    DeliverCallback deliver = (tag, d) -> {
      onMessage.accept(d.getBody());
      ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
    };
    ch.basicConsume(queue, false, deliver, tag -> { });
    return c;
  }

  static void throughput(ConnectionFactory factory, String queue, int seconds, int publishers) throws Exception {
    AtomicLong consumed = new AtomicLong();
    Connection consumer = consume(factory, queue, body -> consumed.incrementAndGet());
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      connections.add(factory.newConnection("bench-publisher-" + i));
    }
    AtomicLong confirmed = new AtomicLong();
    AtomicLong nacked = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    CountDownLatch stopped = new CountDownLatch(publishers);
    for (int p = 0; p < publishers; p++) {
      Channel ch = connections.get(p % CONNECTIONS).createChannel();
      ch.confirmSelect();
      Runnable next = () -> {
        if (System.nanoTime() >= end) {
          stopped.countDown();
          return;
        }
        long s = seq.getAndIncrement();
        try {
          ch.basicPublish("", queue, props(s), payload(s, System.nanoTime()));
        } catch (Exception e) {
          System.err.println("publish failed: " + e);
          stopped.countDown();
        }
      };
      ch.addConfirmListener((tag, multiple) -> {
        if (System.nanoTime() < end) {
          confirmed.incrementAndGet();
        }
        next.run();
      }, (tag, multiple) -> {
        nacked.incrementAndGet();
        next.run();
      });
      next.run();
    }
    stopped.await(seconds + 30L, TimeUnit.SECONDS);
    double elapsed = seconds;
    long published = seq.get();
    // Let the consumer drain what is left, so the queue is empty when it is deleted.
    long drainUntil = System.nanoTime() + 30_000_000_000L;
    while (consumed.get() < published && System.nanoTime() < drainUntil) {
      Thread.sleep(10);
    }
    double drained = (System.nanoTime() - start) / 1e9;
    System.out.printf("rabbit_confirmed=%d rabbit_confirmed_per_s=%.0f rabbit_nacked=%d rabbit_consumed=%d "
            + "rabbit_consumed_per_s=%.0f%n", confirmed.get(), confirmed.get() / elapsed, nacked.get(), consumed.get(),
        consumed.get() / drained);
    for (Connection c : connections) {
      c.close();
    }
    consumer.close();
  }

  static String latency(ConnectionFactory factory, String queue, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long[] latencies = new long[total];
    long[] confirmLatencies = new long[total];
    AtomicInteger received = new AtomicInteger();
    AtomicInteger confirmedCount = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    Connection consumer = consume(factory, queue, body -> {
      long now = System.nanoTime();
      long t0 = ByteBuffer.wrap(body).getLong(8);
      int n = received.getAndIncrement();
      if (n < total) {
        latencies[n] = now - t0;
      }
      if (n + 1 >= total) {
        done.countDown();
      }
    });
    Connection publisher = factory.newConnection("bench-publisher");
    Channel ch = publisher.createChannel();
    ch.confirmSelect();
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    ch.addConfirmListener((tag, multiple) -> {
      long now = System.nanoTime();
      for (Long k : multiple ? sentAt.keySet().stream().filter(k -> k <= tag).toList() : List.of(tag)) {
        Long t0 = sentAt.remove(k);
        if (t0 != null) {
          int n = confirmedCount.getAndIncrement();
          if (n < total) {
            confirmLatencies[n] = now - t0;
          }
        }
      }
    }, (tag, multiple) -> System.err.println("nack " + tag));
    // `rate` publishes per second, spread over 1 ms ticks (as BenchClient's writers).
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    ticks.scheduleAtFixedRate(() -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      try {
        while (sent.get() < due) {
          long s = sent.getAndIncrement();
          long t0 = System.nanoTime();
          sentAt.put(ch.getNextPublishSeqNo(), t0);
          ch.basicPublish("", queue, props(s), payload(s, t0));
        }
      } catch (Exception e) {
        System.err.println("publish failed: " + e);
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
      System.err.println("latency: timed out, received " + received.get() + " of " + total);
    }
    ticks.shutdownNow();
    publisher.close();
    consumer.close();
    long[] sorted = Arrays.copyOf(latencies, Math.min(received.get(), total));
    Arrays.sort(sorted);
    long[] confirms = Arrays.copyOf(confirmLatencies, Math.min(confirmedCount.get(), total));
    Arrays.sort(confirms);
    return String.format("rabbit_latency_messages=%d rabbit_latency_p50_ms=%.2f rabbit_latency_p99_ms=%.2f "
            + "rabbit_latency_max_ms=%.2f rabbit_confirm_p50_ms=%.2f rabbit_confirm_p99_ms=%.2f", sorted.length,
        pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
        pct(confirms, 0.50), pct(confirms, 0.99));
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
