// Load and measurement client for the benchmarks in this folder, run as a single-file program:
//   BenchClient.java URL TOKEN latency RATE SECONDS      POST -> live (SSE) reader latency (ingest.sh)
//   BenchClient.java URL TOKEN connections N             open N live streams and hold them (fanout.sh)
//   BenchClient.java URL TOKEN deliver CLIENTS CHANNELS RATE SECONDS                        (fanout.sh)
//   BenchClient.java URL TOKEN catchup CHANNEL COUNT     read COUNT records from cursor 0    (fanout.sh)
//   BenchClient.java URL TOKEN dispatch RATE SECONDS SENDER DEST DEST_TOKEN
//       send_data from SENDER (TOKEN its token) at RATE/s -> DEST's SSE stream latency, with the
//       time split into stages by the record's own times                               (dispatch.sh)
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
import java.util.function.Consumer;

public class BenchClient {
  static URI base;
  static String token;
  static Vertx vertx;
  static HttpClient streams;

  public static void main(String[] args) throws Exception {
    base = URI.create(args[0]);
    token = args[1];
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    streams = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(100_000).setMaxWaitQueueSize(-1));
    switch (args[2]) {
      case "latency" -> latency(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "connections" -> connections(Integer.parseInt(args[3]));
      case "deliver" -> deliver(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
          Integer.parseInt(args[6]));
      case "catchup" -> catchup(args[3], Integer.parseInt(args[4]));
      case "dispatch" -> dispatch(Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5], args[6], args[7]);
      default -> throw new IllegalArgumentException(args[2]);
    }
    vertx.close();
  }

  /** Opens a channel's stream; {@code onData} gets each event's data line. */
  static void open(String channel, String after, Consumer<String> onData, Runnable onOpen) {
    openPath("/v1/channels/" + channel + "/stream" + (after == null ? "" : "?after=" + after), token, onData, onOpen);
  }

  /** Opens the SSE stream at {@code path} with {@code bearer}; {@code onData} gets each event's data line. */
  static void openPath(String path, String bearer, Consumer<String> onData, Runnable onOpen) {
    StringBuilder pending = new StringBuilder();
    streams.request(new RequestOptions().setHost(base.getHost()).setPort(base.getPort())
            .setURI(path).putHeader("Authorization", "Bearer " + bearer)
            // as a browser's EventSource asks; a compressed answer would show here as no events at all
            .putHeader("Accept-Encoding", "gzip, deflate, br"))
        .compose(req -> req.send())
        .onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            System.out.println("stream refused: " + resp.statusCode());
            return;
          }
          onOpen.run();
          resp.handler(buffer -> {
            pending.append(buffer.toString());
            // Events are cut by index and the taken part dropped once per chunk: dropping each
            // event on its own moved the rest of the chunk every time, and capped catch-up figures.
            int from = 0;
            int end;
            while ((end = pending.indexOf("\n\n", from)) >= 0) {
              int data = pending.indexOf("data: ", from);
              if (data >= 0 && data < end) {
                onData.accept(pending.substring(data + 6, end));
              }
              from = end + 2;
            }
            pending.delete(0, from);
          });
        })
        .onFailure(e -> System.out.println("stream failed: " + e.getMessage()));
  }

  /** Single posts at a fixed rate against their arrival on a live reader; a first pass warms both JVMs up. */
  static void latency(int rate, int seconds) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    measure(client, rate, seconds);
    String before = metrics(client);
    String figures = measure(client, rate, seconds);
    System.out.println(figures + stages(before, metrics(client)));
  }

  /** The node's stage timers, in the order a record meets them (issue 16's breakdown). */
  static final String[][] STAGES = {{"parse", "tributary_ingest_parse_seconds"},
      {"gateway_wait", "tributary_gateway_queue_wait_seconds"}, {"lane_wait", "tributary_core_wait_seconds"},
      {"core_commit", "tributary_core_commit_seconds"},
      {"cache_append", "tributary_core_cache_seconds"}, {"notice_to_sse", "tributary_sse_notice_seconds"},
      {"forward", "tributary_gateway_forward_seconds"}};

  static String metrics(WebClient client) throws Exception {
    return client.get("/metrics").send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        .bodyAsString();
  }

  /**
   * p50 and p99 of each stage over what happened between two scrapes, from the histogram buckets'
   * differences (so the warm-up pass does not count); a quantile is its bucket's upper bound.
   */
  static String stages(String before, String after) {
    StringBuilder out = new StringBuilder();
    for (String[] stage : STAGES) {
      java.util.TreeMap<Double, Double> b = buckets(before, stage[1]);
      java.util.TreeMap<Double, Double> a = buckets(after, stage[1]);
      double total = a.isEmpty() ? 0 : a.lastEntry().getValue() - b.getOrDefault(a.lastKey(), 0.0);
      for (double q : new double[] {0.50, 0.99}) {
        double bound = Double.NaN;
        for (Map.Entry<Double, Double> e : a.entrySet()) {
          if (total > 0 && e.getValue() - b.getOrDefault(e.getKey(), 0.0) >= q * total) {
            bound = e.getKey() * 1000;
            break;
          }
        }
        out.append(String.format(" stage_%s_p%d_ms=%.3f", stage[0], Math.round(q * 100), bound));
      }
    }
    return out.toString();
  }

  /** A histogram's cumulative bucket counts by upper bound (seconds), summed over its label sets. */
  static java.util.TreeMap<Double, Double> buckets(String metrics, String name) {
    java.util.TreeMap<Double, Double> out = new java.util.TreeMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "(?m)^" + name + "_bucket\\{.*le=\"([^\"]+)\".*\\} ([0-9.eE+-]+)$").matcher(metrics);
    while (m.find()) {
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      out.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  static String measure(WebClient client, int rate, int seconds) throws Exception {
    String channel = "latency-" + UUID.randomUUID().toString().substring(0, 8);
    String padding = "x".repeat(96);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    int total = rate * seconds;
    long[] latencies = new long[total];
    long[] ackLatencies = new long[total];
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);

    // Reader: the channel's live stream, as a dashboard would follow it.
    CountDownLatch open = new CountDownLatch(1);
    open(channel, "0", data -> {
      long now = System.nanoTime();
      Long t0 = sentAt.remove(new JsonObject(data).getString("id"));
      if (t0 != null) {
        int n = seen.getAndIncrement();
        if (n < total) {
          latencies[n] = now - t0;
        }
        if (seen.get() + failed.get() >= total) {
          done.countDown();
        }
      }
    }, open::countDown);
    open.await(10, TimeUnit.SECONDS);

    // Writer: `rate` single-record posts per second, spread over 1 ms ticks.
    paced(vertx, total, rate, seq -> {
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

  /**
   * send_data at a fixed rate from SENDER to DEST against their arrival on DEST's live stream, as
   * {@link #latency} does for channels; a first pass warms both nodes up. Besides POST -> SSE and
   * POST -> 202 it splits the time by the record's own clocks (milliseconds, one machine): POST ->
   * task created on the sender's worker (producedAt), created -> 202 back at the client (the
   * task's PostgreSQL insert and the answer), created -> taken by the destination's worker
   * (committedAt: the insert, the queue, the batch and the bus) and taken -> SSE receipt (the
   * destination's transaction, its cache and the live readers).
   */
  static void dispatch(int rate, int seconds, String sender, String dest, String destToken) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true).setUserAgentEnabled(false),
        new PoolOptions().setHttp1MaxSize(64));
    measureDispatch(client, rate, seconds, sender, dest, destToken);
    System.out.println(measureDispatch(client, rate, seconds, sender, dest, destToken));
  }

  static String measureDispatch(WebClient client, int rate, int seconds, String sender, String dest, String destToken)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    int total = rate * seconds;
    long[] t0Ns = new long[total];
    long[] t0Ms = new long[total];
    long[] ackNs = new long[total];
    long[] ackMs = new long[total];
    long[] created = new long[total];
    long[] taken = new long[total];
    long[] seenNs = new long[total];
    long[] seenMs = new long[total];
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger statusOther = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    // JSON bodies of exactly 1,024 bytes: {"run":"........","seq":N,"pad":"xx..."}.
    String head = "{\"run\":\"" + run + "\",\"seq\":%d,\"pad\":\"";

    CountDownLatch open = new CountDownLatch(1);
    openPath("/v1/users/" + dest + "/data/stream", destToken, data -> {
      long nowNs = System.nanoTime();
      long nowMs = System.currentTimeMillis();
      JsonObject record = new JsonObject(data);
      JsonObject item = record.getJsonObject("payload");
      JsonObject body = item == null ? null : item.getJsonObject("payload");
      if (body == null || !run.equals(body.getString("run"))) {
        return;
      }
      int seq = body.getInteger("seq");
      seenNs[seq] = nowNs;
      seenMs[seq] = nowMs;
      created[seq] = record.getLong("producedAt");
      taken[seq] = record.getLong("committedAt");
      if (seen.incrementAndGet() + failed.get() >= total) {
        done.countDown();
      }
    }, open::countDown);
    open.await(10, TimeUnit.SECONDS);

    paced(vertx, total, rate, seq -> {
      String opening = String.format(head, seq);
      Buffer body = Buffer.buffer(opening + "x".repeat(1024 - opening.length() - 2) + "\"}");
      t0Ms[seq] = System.currentTimeMillis();
      t0Ns[seq] = System.nanoTime();
      client.post("/v1/send_data/bench").putHeader("Authorization", "Bearer " + token)
          .putHeader("User-Agent", sender).putHeader("LEVEL", String.valueOf(seq % 10)).putHeader("DES-USER", dest)
          .putHeader("Content-Type", "application/json").sendBuffer(body).onComplete(ar -> {
            ackNs[seq] = System.nanoTime();
            ackMs[seq] = System.currentTimeMillis();
            if (ar.failed() || ar.result().statusCode() != 202) {
              if (ar.succeeded() && statusOther.getAndIncrement() == 0) {
                System.err.println("send_data answered " + ar.result().statusCode() + ": " + ar.result().bodyAsString());
              }
              if (failed.incrementAndGet() + seen.get() >= total) {
                done.countDown();
              }
            }
          });
    });
    if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
      System.out.println("dispatch latency: timed out, seen " + seen.get() + " of " + total);
    }
    Thread.sleep(200); // the last answers' callbacks
    int n = 0;
    long[] sse = new long[total];
    long[] ack = new long[total];
    long[] toCreated = new long[total];
    long[] toAck = new long[total];
    long[] toTaken = new long[total];
    long[] toSse = new long[total];
    for (int i = 0; i < total; i++) {
      if (seenNs[i] != 0 && ackNs[i] != 0) {
        sse[n] = seenNs[i] - t0Ns[i];
        ack[n] = ackNs[i] - t0Ns[i];
        toCreated[n] = (created[i] - t0Ms[i]) * 1_000_000;
        toAck[n] = (ackMs[i] - created[i]) * 1_000_000;
        toTaken[n] = (taken[i] - created[i]) * 1_000_000;
        toSse[n] = (seenMs[i] - taken[i]) * 1_000_000;
        n++;
      }
    }
    StringBuilder out = new StringBuilder(String.format("dispatch_tasks=%d dispatch_failed=%d", n, failed.get()));
    for (Object[] f : new Object[][] {{"latency", sse}, {"ack", ack}, {"stage_created", toCreated},
        {"stage_created_to_202", toAck}, {"stage_created_to_taken", toTaken}, {"stage_taken_to_sse", toSse}}) {
      long[] sorted = Arrays.copyOf((long[]) f[1], n);
      Arrays.sort(sorted);
      out.append(String.format(" %s_p50_ms=%.2f %s_p99_ms=%.2f", f[0], pct(sorted, 0.50), f[0], pct(sorted, 0.99)));
      if (f[0].equals("latency")) {
        out.append(String.format(" latency_max_ms=%.2f", n == 0 ? 0 : sorted[n - 1] / 1e6));
      }
    }
    return out.toString();
  }

  static void connections(int n) throws Exception {
    CountDownLatch opened = new CountDownLatch(n);
    long start = System.nanoTime();
    AtomicInteger started = new AtomicInteger();
    // 500 new streams every 50 ms, so the node's accept queue is not flooded at once.
    vertx.setPeriodic(50, t -> {
      for (int k = 0; k < 500 && started.get() < n; k++) {
        int c = started.getAndIncrement() % 100;
        open("hold-" + c, null, d -> { }, opened::countDown);
      }
      if (started.get() >= n) {
        vertx.cancelTimer(t);
      }
    });
    boolean all = opened.await(120, TimeUnit.SECONDS);
    System.out.printf("connections_open=%d of %d in %.1f s%n", n - opened.getCount(), n,
        (System.nanoTime() - start) / 1e9);
    System.out.println(all ? "HOLDING" : "PARTIAL");
    System.out.flush();
    // Holds the streams until fanout.sh has measured the node's memory and ends this JVM.
    new CountDownLatch(1).await();
  }

  static void deliver(int clients, int channels, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long expected = (long) total * clients / channels;
    long[] latencies = new long[(int) expected];
    AtomicInteger received = new AtomicInteger();
    CountDownLatch opened = new CountDownLatch(clients);
    CountDownLatch done = new CountDownLatch(1);
    LeanStreams reader = new LeanStreams(base.getHost(), base.getPort(), opened, "t0", (t0, now) -> {
      int n = received.getAndIncrement();
      if (n < latencies.length) {
        latencies[n] = now - t0;
      }
      if (n + 1 >= expected) {
        done.countDown();
      }
    });
    for (int i = 0; i < clients; i++) {
      reader.open("/v1/channels/fan-" + (i % channels) + "/stream", token);
    }
    reader.start();
    opened.await(60, TimeUnit.SECONDS);
    // Clients stay connected in the shape measured: the writers start once the streams have been
    // open a moment (SETTLE_MS, default 3 s), so what the opening cost the node (10,000 connections'
    // objects moved by its collector) is not counted as delivery time.
    Thread.sleep(Long.parseLong(System.getenv().getOrDefault("SETTLE_MS", "3000")));
    WebClient writer = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()), new PoolOptions().setHttp1MaxSize(64));
    String before = metrics(writer);
    long start = paced(vertx, total, rate, k ->
        writer.post(base.getPort(), base.getHost(), "/v1/channels/fan-" + (k % channels) + "/records")
            .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"payload\":{\"t0\":" + System.nanoTime() + "}}")));
    done.await(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] sorted = Arrays.copyOf(latencies, Math.min(received.get(), latencies.length));
    Arrays.sort(sorted);
    System.out.printf("deliveries=%d of %d deliveries_per_s=%.0f delivery_p50_ms=%.2f delivery_p99_ms=%.2f%s%n",
        received.get(), expected, received.get() / elapsed, pct(sorted, 0.5), pct(sorted, 0.99),
        stages(before, metrics(writer)));
  }

  /**
   * Streams read by one thread straight from their sockets (non-blocking NIO, the chunked body
   * decoded and one number field of each event parsed from the bytes, with no copy): through the
   * Vert.x HTTP client, 10,000 streams at 20,000 events/s took this JVM 1 to 1.6 of the machine's 2
   * cores, taken from the node being measured, and one stream catching up took a whole core at
   * 170,000 events/s; NATS's peer client is as lean.
   */
  static final class LeanStreams implements Runnable {
    interface Events {
      /** The event's field, a non-negative integer, read at {@code nanoTime}. */
      void number(long value, long nanoTime);
    }

    /** Connections being opened at once, so the node's accept backlog never overflows. */
    private static final int OPENING = 256;
    /** The field read, as {@code "name":}. */
    private final byte[] field;
    private final java.net.InetSocketAddress address;
    private final CountDownLatch opened;
    private final Events events;
    private final java.util.ArrayDeque<Stream> waiting = new java.util.ArrayDeque<>();
    private int opening;

    /** Reads the number of JSON field {@code name} in each event; one field per event. */
    LeanStreams(String host, int port, CountDownLatch opened, String name, Events events) {
      this.field = ("\"" + name + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      this.address = new java.net.InetSocketAddress(host, port);
      this.opened = opened;
      this.events = events;
    }

    /** Starts reading, on a daemon thread of its own. */
    void start() {
      Thread thread = new Thread(this, "lean-streams");
      thread.setDaemon(true);
      thread.start();
    }

    /** Queues a stream to open once the reader runs. */
    void open(String path, String bearer) {
      waiting.add(new Stream(("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
          + "\r\nAuthorization: Bearer " + bearer + "\r\nAccept: text/event-stream\r\n"
          + "Accept-Encoding: gzip, deflate, br\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Override
    public void run() {
      java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(1 << 16);
      try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
        while (true) {
          while (opening < OPENING && !waiting.isEmpty()) {
            java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            channel.register(selector, java.nio.channels.SelectionKey.OP_CONNECT, waiting.poll());
            opening++;
          }
          selector.select(100);
          long now = System.nanoTime();
          for (java.nio.channels.SelectionKey key : selector.selectedKeys()) {
            java.nio.channels.SocketChannel channel = (java.nio.channels.SocketChannel) key.channel();
            Stream stream = (Stream) key.attachment();
            try {
              if (key.isConnectable()) {
                channel.finishConnect();
                channel.write(java.nio.ByteBuffer.wrap(stream.request));
                key.interestOps(java.nio.channels.SelectionKey.OP_READ);
              } else if (key.isReadable()) {
                in.clear();
                if (channel.read(in) < 0) {
                  key.cancel();
                  channel.close();
                  continue;
                }
                stream.take(in.array(), in.position(), now);
              }
            } catch (java.io.IOException e) {
              System.out.println("stream failed: " + e);
              key.cancel();
              channel.close();
              if (stream.headEnd < 4) {
                opening--;
              }
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (java.io.IOException e) {
        System.out.println("streams failed: " + e);
      }
    }

    /** One stream's reading state: its response head, then the chunked body's framing and the field parser. */
    private final class Stream {
      private final byte[] request;
      /** Bytes of the head's closing CRLFCRLF matched so far, or 4 once the head is read. */
      private int headEnd;
      private final StringBuilder statusLine = new StringBuilder();
      /** In the body: reading a chunk's size line, or the bytes left of the current chunk (and its CRLF). */
      private boolean sizeLine = true;
      private long chunkLeft;
      private long size;
      private int crlfLeft;
      /** Bytes of the field's name matched so far, or its whole length while its digits are read. */
      private int matched;
      private long value;

      Stream(byte[] request) {
        this.request = request;
      }

      void take(byte[] bytes, int length, long now) {
        for (int i = 0; i < length; i++) {
          byte b = bytes[i];
          if (headEnd < 4) {
            if (statusLine.length() < 12) {
              statusLine.append((char) b);
            }
            headEnd = b == (headEnd % 2 == 0 ? '\r' : '\n') ? headEnd + 1 : (b == '\r' ? 1 : 0);
            if (headEnd == 4) {
              opening--;
              if (statusLine.toString().endsWith(" 200")) {
                opened.countDown();
              } else {
                System.out.println("stream refused: " + statusLine);
              }
            }
          } else if (crlfLeft > 0) {
            crlfLeft--;
          } else if (sizeLine) {
            if (b == '\n') {
              // a zero size is the body's last chunk: its trailer's CRLF is all that follows
              sizeLine = size == 0;
              crlfLeft = size == 0 ? 2 : 0;
              chunkLeft = size;
              size = 0;
            } else if (Character.digit(b, 16) >= 0) {
              size = size * 16 + Character.digit(b, 16);
            }
          } else {
            field(b, now);
            if (--chunkLeft == 0) {
              sizeLine = true;
              crlfLeft = 2;
            }
          }
        }
      }

      private void field(byte b, long now) {
        if (matched == field.length) {
          if (b >= '0' && b <= '9') {
            value = value * 10 + (b - '0');
            return;
          }
          events.number(value, now);
          matched = 0;
          value = 0;
        }
        matched = b == field[matched] ? matched + 1 : (b == field[0] ? 1 : 0);
      }
    }
  }

  /**
   * Reads a channel's stream from cursor 0 until {@code count} events came, with {@link LeanStreams}
   * (the Vert.x client's reader took a core at this rate), each event's {@code "v"} checked to
   * follow the last (the backlog's records carry 1, 2, 3, ...): a gap, repeat or reorder is counted.
   */
  static void catchup(String channel, int count) throws Exception {
    CountDownLatch opened = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    long[] last = {0}; // the reader thread's alone
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    LeanStreams reader = new LeanStreams(base.getHost(), base.getPort(), opened, "v", (v, now) -> {
      if (v != last[0] + 1) {
        wrong.incrementAndGet();
      }
      last[0] = v;
      if (received.incrementAndGet() == count) {
        done.countDown();
      }
    });
    reader.open("/v1/channels/" + channel + "/stream?after=0", token);
    reader.start();
    opened.await(60, TimeUnit.SECONDS);
    long start = System.nanoTime();
    boolean all = done.await(600, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("catchup_records=%d catchup_seconds=%.1f catchup_per_s=%.0f catchup_out_of_order=%d%s%n",
        received.get(), elapsed, received.get() / elapsed, wrong.get(), all ? "" : " (timed out)");
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /**
   * Calls {@code send} with 0, 1, 2 ... {@code total - 1} at {@code rate} per second, spread over
   * 1 ms ticks; answers when it started (System.nanoTime).
   */
  static long paced(Vertx vertx, int total, int rate, java.util.function.IntConsumer send) {
    long start = System.nanoTime();
    int[] sent = {0};
    vertx.setPeriodic(1, t -> {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent[0] < due) {
        send.accept(sent[0]++);
      }
      if (sent[0] >= total) {
        vertx.cancelTimer(t);
      }
    });
    return start;
  }
}
