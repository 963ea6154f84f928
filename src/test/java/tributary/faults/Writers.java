package tributary.faults;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The suite's writers, each a loop of one request at a time against the nodes' HTTP faces, moving
 * to the next face when one does not answer, and logging every acknowledgement to the
 * {@link AckLog}:
 * records (NDJSON batches with an Idempotency-Key, the same request retried until it is
 * acknowledged, as the README's "Retrying safely" says), send_data tasks and blob uploads (both
 * have no idempotency key, so an attempt without a clear answer is given up and a new one made:
 * a task or blob is only counted once acknowledged).
 */
final class Writers {
  static final int BATCH = 5;
  private static final long REQUEST_TIMEOUT_MS = 20_000;
  private static final long RETRY_PAUSE_MS = 100;

  private final Vertx vertx;
  private final WebClient client;
  private final List<Integer> faces;
  private final AckLog log;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Future<Void>> loops = new ArrayList<>();
  /** Answers that were neither an acknowledgement nor a retryable refusal, by kind and status. */
  final Map<String, AtomicLong> otherAnswers = new ConcurrentHashMap<>();
  final AtomicLong acks = new AtomicLong();

  Writers(Vertx vertx, List<Integer> faces, AckLog log) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.faces = faces;
    this.log = log;
  }

  /** Stops every loop after its request in flight; completes when all have stopped. */
  Future<Void> stop() {
    running.set(false);
    return Future.join(loops).mapEmpty();
  }

  private HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, int face, String path, String token) {
    return client.request(method, faces.get(Math.floorMod(face, faces.size())), "127.0.0.1", path)
        .timeout(REQUEST_TIMEOUT_MS).putHeader("Authorization", "Bearer " + token);
  }

  /** Counts an answer that was not an acknowledgement, and logs it. */
  private void count(String kind, io.vertx.core.AsyncResult<HttpResponse<Buffer>> ar) {
    String outcome = outcome(ar);
    otherAnswers.computeIfAbsent(kind + " " + outcome, k -> new AtomicLong()).incrementAndGet();
    log.refused(kind, ar.failed() ? 0 : ar.result().statusCode(), outcome, System.currentTimeMillis());
  }

  private static String outcome(io.vertx.core.AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.failed()) {
      return "no answer (" + ar.cause().getClass().getSimpleName() + ")";
    }
    String body = ar.result().bodyAsString();
    String code = "";
    try {
      code = body == null ? "" : " " + new JsonObject(body).getString("error");
    } catch (RuntimeException notJson) {
      code = " (not JSON)";
    }
    return ar.result().statusCode() + code;
  }

  // ---- records

  /** Writes batches of {@link #BATCH} records to {@code channel} as {@code name}, starting on face {@code face}. */
  void records(String name, String channel, String token, int face) {
    Promise<Void> done = Promise.promise();
    loops.add(done.future());
    nextBatch(name, channel, token, face, 0, done);
  }

  private void nextBatch(String name, String channel, String token, int face, long seq, Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    StringBuilder body = new StringBuilder();
    List<String> markers = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String marker = name + "-" + seq + "-" + i;
      markers.add(marker);
      body.append(new JsonObject().put("payload", new JsonObject().put("m", marker).put("v", i)).encode()).append('\n');
    }
    postBatch(name, channel, token, face, seq, name + "-" + seq, body.toString(), markers, System.currentTimeMillis(),
        done);
  }

  private void postBatch(String name, String channel, String token, int face, long seq, String key, String body,
      List<String> markers, long sentAt, Promise<Void> done) {
    request(io.vertx.core.http.HttpMethod.POST, face, "/v1/channels/" + channel + "/records", token)
        .putHeader("Content-Type", "application/x-ndjson").putHeader("Idempotency-Key", key)
        .sendBuffer(Buffer.buffer(body)).onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            long now = System.currentTimeMillis();
            JsonArray records = ar.result().bodyAsJsonObject().getJsonArray("records");
            for (int i = 0; i < records.size(); i++) {
              JsonObject r = records.getJsonObject(i);
              log.record(channel, r.getString("id"), r.getLong("cursor"), markers.get(i), sentAt, now);
            }
            acks.incrementAndGet();
            nextBatch(name, channel, token, face, seq + 1, done);
            return;
          }
          count("record", ar);
          boolean retryable = ar.failed() || ar.result().statusCode() == 503 || ar.result().statusCode() == 429
              || ar.result().statusCode() >= 500;
          if (!retryable) {
            // A refusal of a well-formed request: nothing stored, say so and go on with the next batch.
            nextBatch(name, channel, token, face, seq + 1, done);
            return;
          }
          // Same key, so a retry of a commit that did happen stores nothing twice; another face
          // when this one did not answer or could not reach the pipeline.
          int next = ar.failed() || ar.result().statusCode() >= 500 ? face + 1 : face;
          vertx.setTimer(RETRY_PAUSE_MS, t -> postBatch(name, channel, token, next, seq, key, body, markers, sentAt,
              done));
        });
  }

  // ---- send_data tasks

  /** Sends small tasks from {@code sender} to the destinations in turn, at every level. */
  void tasks(String sender, String token, List<String> destinations, int face) {
    Promise<Void> done = Promise.promise();
    loops.add(done.future());
    nextTask(sender, token, destinations, face, 0, done);
  }

  private void nextTask(String sender, String token, List<String> destinations, int face, long seq,
      Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    String marker = sender + "-task-" + seq;
    String dest = destinations.get((int) (seq % destinations.size()));
    long sentAt = System.currentTimeMillis();
    request(io.vertx.core.http.HttpMethod.POST, face, "/v1/send_data/reading", token)
        .putHeader("USER-AGENT", sender).putHeader("LEVEL", String.valueOf(seq % 10)).putHeader("DES-USER", dest)
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer(marker))
        .onComplete(ar -> afterAttempt("task", ar, 202, face, 20,
            body -> log.task(body.getString("taskId"), dest, marker, sentAt, System.currentTimeMillis()),
            next -> nextTask(sender, token, destinations, next, seq + 1, done)));
  }

  /**
   * After one attempt of a writer without idempotency: logs an acknowledgement ({@code okStatus})
   * or counts the other answer, then goes on after a pause, on the next face when this one did
   * not answer or answered 5xx.
   */
  private void afterAttempt(String kind, io.vertx.core.AsyncResult<HttpResponse<Buffer>> ar, int okStatus, int face,
      long pauseMs, java.util.function.Consumer<JsonObject> onAck, java.util.function.IntConsumer then) {
    boolean acked = ar.succeeded() && ar.result().statusCode() == okStatus;
    if (acked) {
      onAck.accept(ar.result().bodyAsJsonObject());
      acks.incrementAndGet();
    } else {
      count(kind, ar);
    }
    int next = !acked && (ar.failed() || ar.result().statusCode() >= 500) ? face + 1 : face;
    vertx.setTimer(acked ? pauseMs : RETRY_PAUSE_MS, t -> then.accept(next));
  }

  // ---- blobs

  /** Uploads blobs of 8 to 64 KiB of random bytes, one after another. */
  void blobs(String token, int face, long seed) {
    Promise<Void> done = Promise.promise();
    loops.add(done.future());
    nextBlob(token, face, new Random(seed), done);
  }

  private void nextBlob(String token, int face, Random random, Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    byte[] bytes = new byte[8192 + random.nextInt(57_344)];
    random.nextBytes(bytes);
    String sha256 = sha256(bytes);
    long sentAt = System.currentTimeMillis();
    request(io.vertx.core.http.HttpMethod.PUT, face, "/v1/blobs?type=document", token)
        .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(bytes))
        .onComplete(ar -> afterAttempt("blob", ar, 201, face, 100,
            body -> log.blob(body.getString("id"), sha256, sentAt, System.currentTimeMillis()),
            next -> nextBlob(token, next, random, done)));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
