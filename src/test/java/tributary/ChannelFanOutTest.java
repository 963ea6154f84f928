package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.SseTally;
import tributary.support.TestNode;

/**
 * Q3, Q4, issue 17: one live tail per channel per node. Two hundred streams of one channel, half
 * at the head from the start and half joining from cursor 0 while writers post (behind the
 * tail's ring, so they catch up from the store first), each see exactly 1..N; one more stream
 * stops reading from the start and stays stalled, its buffer full, for longer than the others'
 * whole run: they finish while it is still stalled, and once it reads again it too sees exactly
 * 1..N.
 */
class ChannelFanOutTest {
  private static final int WRITERS = 2;
  private static final int BATCHES_PER_WRITER = 75;
  private static final int BATCH = 10;
  private static final int N = WRITERS * BATCHES_PER_WRITER * BATCH;
  /**
   * Records of about 1.6 KB: N of them (2.4 MB) are far more than the stalled client's socket
   * buffers hold here, and two thirds of them more than the tail's ring (1 MiB).
   */
  private static final String PAD = "x".repeat(1500);

  /** Batches each writer posts before it waits for the late streams to open. */
  private static final int BEFORE_LATE = BATCHES_PER_WRITER * 2 / 3;

  private static Future<Void> write(Http http, String token, int writer, Runnable after, Future<Void> lateOpen) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      body.append("{\"payload\":{\"pad\":\"").append(PAD).append("\"}}\n");
    }
    Promise<Void> done = Promise.promise();
    writeLoop(http, token, body.toString(), writer, 0, after, lateOpen, done);
    return done.future();
  }

  /**
   * Posts batch {@code n} of a writer; an answer that the node is busy (503, 429) is retried with
   * the batch's Idempotency-Key, as the API asks, so a retry stores nothing twice.
   */
  private static void writeLoop(Http http, String token, String body, int writer, int n, Runnable after,
      Future<Void> lateOpen, Promise<Void> done) {
    if (n == BATCHES_PER_WRITER) {
      done.complete();
      return;
    }
    if (n == BEFORE_LATE && !lateOpen.isComplete()) {
      // The rest is written once the late streams are open, so they join while writers post.
      lateOpen.onComplete(v -> writeLoop(http, token, body, writer, n, after, lateOpen, done));
      return;
    }
    http.sendAsync(HttpMethod.POST, "/v1/channels/fan/records", token, "application/x-ndjson", body,
        Map.of("Idempotency-Key", "fan-" + writer + "-" + n)).onComplete(ar -> {
          int status = ar.succeeded() ? ar.result().statusCode() : 0;
          if (status == 202) {
            after.run();
            writeLoop(http, token, body, writer, n + 1, after, lateOpen, done);
          } else if (status == 503 || status == 429) {
            writeLoop(http, token, body, writer, n, after, lateOpen, done);
          } else {
            done.fail("post failed: " + (ar.succeeded() ? ar.result().bodyAsString() : ar.cause()));
          }
        });
  }

  private static void awaitAll(Http http, SseTally s) {
    try {
      Http.awaitCondition(() -> s.count() >= N, 120_000, "all " + N + " records");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + s + "; streams open " + http.metric(null, "tributary_sse_streams")
          + ", attached " + http.metric(null, "tributary_sse_streams_attached"), e);
    }
  }

  @Test
  void twoHundredStreamsSeeExactlyOneToNAndAStalledOneDelaysNone() {
    // A stall limit longer than the test: the stalled stream must be kept, not cut off. Small
    // socket send buffers, so that the stalled client fills its own with a test's worth of data.
    try (TestNode node = TestNode.start("fanout", Map.of("sse-buffer-bytes", "16384", "sse-stall-ms", "600000",
        "http-send-buffer-bytes", "65536"))) {
      Http http = node.http;
      String token = http.createUser(node.env.adminToken, "fan");
      int port = node.port();
      Vertx clients = Vertx.vertx();
      try {
        HttpClient shared = clients.createHttpClient(new PoolOptions().setHttp1MaxSize(300));
        HttpClient small = clients.createHttpClient(new HttpClientOptions().setReceiveBufferSize(4096));
        SseTally stalled = SseTally.open(small, port, "/v1/channels/fan/stream?after=0", token, 0, true);
        List<SseTally> streams = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          streams.add(SseTally.open(shared, port, "/v1/channels/fan/stream?after=0", token, 0, false));
        }
        AtomicInteger posted = new AtomicInteger();
        Promise<Void> lateOpen = Promise.promise();
        List<Future<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          writers.add(write(http, token, w, posted::incrementAndGet, lateOpen.future()));
        }
        // Once two thirds are written, more than the tail's ring holds, the late streams open from 0;
        // the writers wait for them, then post the last third while they catch up.
        Http.awaitCondition(() -> posted.get() >= WRITERS * BEFORE_LATE, 60_000, "two thirds written");
        List<Future<SseTally>> late = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          late.add(SseTally.openAsync(shared, port, "/v1/channels/fan/stream?after=0", token, 0, false));
        }
        await(Future.all(late)).<SseTally>list().forEach(streams::add);
        lateOpen.complete();
        await(Future.all(writers));
        assertEquals(200, streams.size());
        for (SseTally s : streams) {
          awaitAll(http, s);
          assertTrue(s.sawExactlyUpTo(N), s.toString());
        }
        // The others are done while the stalled one has read nothing and is held off the tail by
        // its full buffer (a stream whose buffer has room joins the tail at once).
        assertEquals(0, stalled.count(), "the stalled client read nothing yet");
        assertEquals(201, http.metric(null, "tributary_sse_streams"), "every stream is open");
        assertEquals(200, http.metric(null, "tributary_sse_streams_attached"), "only the stalled stream is off the tail");
        stalled.resume();
        Http.awaitCondition(() -> stalled.count() >= N, 120_000, "the stalled stream catches up: " + stalled);
        assertTrue(stalled.sawExactlyUpTo(N), stalled.toString());
        Http.awaitCondition(() -> http.metric(null, "tributary_sse_streams_attached") == 201, 10_000,
            "once drained it joins the tail");
      } finally {
        await(clients.close());
      }
    }
  }
}
