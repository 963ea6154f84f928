package tributary.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.fault.JsonError;
import tributary.fault.Refusal;
import tributary.node.Metrics;

/**
 * The internal transfer server of this process's storage nodes (S1): {@code PUT
 * /internal/stores/{node}/blobs} streams a blob in and answers once it is durable under its hash;
 * {@code PUT /internal/stores/{node}/needles} stores a batch of small blobs ({@link NeedleFrames})
 * and answers, per blob, what it stored or its own error;
 * {@code GET /internal/stores/{node}/blobs/{sha256}?from=&to=} streams a range out, each chunk
 * checked before it leaves. Every request carries the cluster's transfer secret. Errors are the
 * API's one JSON form.
 */
public final class TransferServer {
  private static final Logger LOG = LoggerFactory.getLogger(TransferServer.class);

  private final Vertx vertx;
  private final StorageClient client;
  private final List<StorageNode> nodes;
  private final BadCopies badCopies;
  private final Counter blobRequests;
  private final Counter batchRequests;
  private final Counter copiesIn;
  private HttpServer server;

  public TransferServer(Vertx vertx, StorageClient client, List<StorageNode> nodes, BadCopies badCopies,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.nodes = List.copyOf(nodes);
    this.badCopies = badCopies;
    this.blobRequests = Metrics.counter(registry, UPLOAD_REQUESTS + ".blobs", "single-blob uploads received");
    this.batchRequests = Metrics.counter(registry, UPLOAD_REQUESTS + ".batches", "batches of small blobs received");
    this.copiesIn = Metrics.counter(registry, "tributary.storage.transfer.copies", "blobs received, alone or batched");
  }

  /** The prefix of the counters of upload requests received: {@code .blobs} alone, {@code .batches} of needles. */
  public static final String UPLOAD_REQUESTS = "tributary.storage.transfer.requests";

  /**
   * The server's options, made here only: the cluster's transport security as the client has it
   * ({@link StorageClient#serverOptions}), with this server's idle timeout.
   */
  static HttpServerOptions serverOptions(HttpServerOptions transport) {
    return transport.setIdleTimeout(120);
  }

  /** Listens; answers the port it got. */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer(serverOptions(client.serverOptions()));
    server.requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort)
        .onSuccess(p -> InProcessStores.add(vertx, nodes, badCopies));
  }

  public Future<Void> close() {
    InProcessStores.remove(vertx, nodes);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * What a request asks of a storage node, read from its path alone.
   *
   * @param nodeId the node the path names, or null when the path is not {@code /internal/stores/{node}/blobs...}
   * @param upload true for {@code PUT .../blobs}
   * @param sha256 the blob to read for {@code GET .../blobs/{sha256}}, else null
   * @param batch true for {@code PUT .../needles}
   */
  record Ask(String nodeId, boolean upload, String sha256, boolean batch) {
    static Ask of(String method, String path) {
      String[] p = path.split("/");
      if (p.length < 5 || !p[1].equals("internal") || !p[2].equals("stores")) {
        return new Ask(null, false, null, false);
      }
      if (p[4].equals("needles")) {
        return new Ask(p[3], false, null, p.length == 5 && method.equals("PUT"));
      }
      if (!p[4].equals("blobs")) {
        return new Ask(null, false, null, false);
      }
      boolean upload = p.length == 5 && method.equals("PUT");
      String sha256 = p.length == 6 && method.equals("GET") ? p[5] : null;
      return new Ask(p[3], upload, sha256, false);
    }

    boolean served() {
      return upload || sha256 != null || batch;
    }
  }

  private void handle(HttpServerRequest request) {
    Pipe<Buffer> body = request.pipe().endOnFailure(false);
    Ask ask = Ask.of(request.method().name(), request.path());
    StorageNode node = ask.nodeId() == null ? null : node(ask.nodeId());
    if (!client.admits(request.getHeader(StorageClient.SECRET_HEADER))) {
      refuse(request, body, 401, "unauthorized", "the transfer secret is missing or wrong");
    } else if (node == null) {
      refuse(request, body, 404, "not_found", "no such storage node here: " + request.path());
    } else if (ask.upload()) {
      blobRequests.increment();
      copiesIn.increment();
      receive(request, body, node);
    } else if (ask.batch()) {
      receiveBatch(request, body, node);
    } else if (ask.sha256() != null) {
      body.close();
      send(request, node, ask.sha256());
    } else {
      refuse(request, body, 405, "method_not_allowed", request.method() + " " + request.path());
    }
  }

  private StorageNode node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
  }

  private static void refuse(HttpServerRequest request, Pipe<Buffer> body, int status, String code, String message) {
    body.close();
    fail(request.response(), status, code, message);
  }

  /** An error answer in the API's one JSON form, unless the caller is gone. */
  private static void fail(HttpServerResponse response, int status, String code, String message) {
    if (!response.ended() && !response.closed()) {
      JsonError.write(response, new Refusal(status, code, message));
    }
  }

  private static void answer(HttpServerResponse response, int status, Object json) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (json == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", "application/json").end(Json.encode(json));
    }
  }

  /**
   * Streams a blob in; answers once it is durable under its hash (S1). Bytes that do not hash to
   * what the sender claimed never take their content address: 400, and nothing else changes.
   */
  private void receive(HttpServerRequest request, Pipe<Buffer> body, StorageNode node) {
    BlobSink sink = BlobSink.into(vertx, node, StorageClient.expected(request), Math.max(0, declared(request)),
        new SharedDigest());
    body.to(sink).compose(v -> sink.stored()).onComplete(done -> {
      if (done.succeeded()) {
        answer(request.response(), 201, storedJson(done.result(), node));
      } else if (done.cause() instanceof LocalBlobStore.ChecksumMismatchException mismatch) {
        LOG.info("upload to storage node dropped [node: {}, cause: {}]", node.id(), mismatch.getMessage());
        fail(request.response(), 400, StorageClient.CHECKSUM_MISMATCH, mismatch.getMessage());
      } else {
        sink.abort();
        LOG.info("upload to storage node failed [node: {}, cause: {}]", node.id(), done.cause().getMessage());
        fail(request.response(), 500, "storage_failed", String.valueOf(done.cause().getMessage()));
      }
    });
  }

  /** The request's Content-Length, or -1 when it states none that is a whole number of bytes. */
  private static long declared(HttpServerRequest request) {
    return ContentLength.of(request.getHeader("Content-Length"));
  }

  private static JsonObject storedJson(LocalBlobStore.Stored s, StorageNode node) {
    LOG.debug("stored [sha256: {}, node: {}, bytes: {}]", s.sha256(), node.id(), s.size());
    return new JsonObject().put("sha256", s.sha256()).put("md5", s.md5()).put("size", s.size()).put("path", s.path())
        .put("node", node.id());
  }

  /**
   * Stores a batch of small blobs (S1), each through the same sink and checks as an upload of it
   * alone, all at once so that their needles share the volume's group fsync; answers once each is
   * durable or refused, one entry per blob in the batch's order. A body that is not whole frames
   * within the limits is refused (400) before anything is stored.
   */
  private void receiveBatch(HttpServerRequest request, Pipe<Buffer> body, StorageNode node) {
    long declared = declared(request);
    if (declared < 0) {
      refuse(request, body, 411, "length_required", "a batch states its Content-Length");
      return;
    }
    if (declared > NeedleFrames.MAX_BODY_BYTES) {
      refuse(request, body, 413, "too_large", "a batch is at most " + NeedleFrames.MAX_BODY_BYTES + " bytes");
      return;
    }
    batchRequests.increment();
    node.incoming(declared);
    HeldBytes held = new HeldBytes();
    body.to(held).compose(v -> held.ended()).map(NeedleFrames::decode)
        .compose(frames -> {
          copiesIn.increment(frames.size());
          return Future.join(frames.stream().map(f -> storeFrame(node, f)).toList())
              .map(all -> new JsonArray(all.list()));
        })
        .onComplete(done -> {
          node.incoming(-declared);
          if (done.succeeded()) {
            answer(request.response(), 200, done.result());
          } else if (done.cause() instanceof NeedleFrames.BadFramesException bad) {
            fail(request.response(), 400, "bad_batch", bad.getMessage());
          } else {
            LOG.info("batch to storage node failed [node: {}, cause: {}]", node.id(), done.cause().getMessage());
            fail(request.response(), 500, "storage_failed", String.valueOf(done.cause().getMessage()));
          }
        });
  }

  /** One blob of a batch: what it stored, or its error in the API's form; never a failed future. */
  private Future<JsonObject> storeFrame(StorageNode node, NeedleFrames.Frame frame) {
    // the batch's bytes are counted incoming as a whole, by the caller
    BlobSink sink = BlobSink.into(vertx, node, frame.expected(), 0, new SharedDigest());
    sink.write(frame.bytes());
    return sink.end().transform(done -> {
      if (done.succeeded()) {
        return Future.succeededFuture(storedJson(sink.stored().result(), node));
      }
      Throwable cause = sink.stored().failed() ? sink.stored().cause() : done.cause();
      String code = cause instanceof LocalBlobStore.ChecksumMismatchException ? StorageClient.CHECKSUM_MISMATCH
          : "storage_failed";
      LOG.info("blob of a batch to storage node dropped [node: {}, cause: {}]", node.id(), cause.getMessage());
      return Future.succeededFuture(new JsonObject().put("error", code)
          .put("message", String.valueOf(cause.getMessage())));
    });
  }

  /** Streams bytes {@code [from, to)} of a blob out, each chunk checked before it leaves (S1). */
  private void send(HttpServerRequest request, StorageNode node, String sha256) {
    HttpServerResponse response = request.response();
    long from = longParam(request.getParam("from"), 0);
    long to = longParam(request.getParam("to"), Long.MAX_VALUE);
    vertx.executeBlocking(() -> node.disk().size(sha256)).onComplete(size -> {
      if (size.failed()) {
        if (size.cause() instanceof IOException io && LocalBlobStore.isMissing(io)) {
          badCopies.report(node, sha256, CopyVerdict.MISSING);
        }
        fail(response, 404, "not_found", "no copy of " + sha256 + " on " + node.id());
        return;
      }
      long end = Math.min(to, size.result());
      if (from < 0 || from > end) {
        fail(response, 416, "bad_range", from + "-" + to + " of " + size.result());
        return;
      }
      response.putHeader(StorageClient.SIZE_HEADER, String.valueOf(size.result()))
          .putHeader("Content-Length", String.valueOf(end - from));
      pump(response, node, sha256, from, end);
    });
  }

  private void pump(HttpServerResponse response, StorageNode node, String sha256, long from, long end) {
    CopyReadStream copy = new CopyReadStream(vertx, node, badCopies, sha256, from, end);
    response.closeHandler(v -> copy.cancel());
    copy.exceptionHandler(e -> {
      if (response.closed() || response.ended()) {
        return;
      }
      if (response.headWritten()) {
        response.reset();
      } else {
        response.headers().clear();
        fail(response, 409, "corrupt", String.valueOf(e.getMessage()));
      }
    });
    copy.endHandler(v -> {
      if (!response.closed() && !response.ended()) {
        response.end();
      }
    });
    copy.handler(data -> {
      if (response.closed() || response.ended()) {
        copy.cancel();
        return;
      }
      response.write(data);
      if (response.writeQueueFull()) {
        copy.pause();
        response.drainHandler(d -> copy.resume());
      }
    });
  }

  /** A range bound: the fallback when absent, -1 (refused as a bad range) when not a number. */
  static long longParam(String value, long fallback) {
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
