package verticles;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.config.NodeConfig;
import tributary.config.StorageConfig;
import tributary.fault.Refusal;
import tributary.http.Failures;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobCollector;
import tributary.storage.BlobSink;
import tributary.storage.LocalBlobStore;
import tributary.storage.RateLimit;
import tributary.storage.StorageClient;
import tributary.storage.TaskRunner;
import tributary.storage.TaskStore;
import tributary.store.Pg;

/**
 * The storage replicator (S1, S3-S5): runs this process's storage nodes, each a local blob store
 * in its own folder, behind one internal transfer server; heartbeats each node's load to
 * management; runs the task items planned for its nodes; and scrubs every copy on a period.
 */
public class StorageReplicatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReplicatorVerticle.class);
  private static final int CLAIM_BATCH = 4;

  private NodeConfig config;
  private StorageConfig storage;
  private Pool pool;
  private BlobCatalog catalog;
  private BlobCollector collector;
  private TaskStore tasks;
  private StorageClient client;
  private String url;
  private final List<Node> nodes = new ArrayList<>();
  private HttpServer server;

  /** One storage node of this process and what its heartbeat reports. */
  private static final class Node {
    final String id;
    final LocalBlobStore disk;
    final RateLimit scrubLimit;
    final AtomicLong diskBytes = new AtomicLong();
    final AtomicLong netBytes = new AtomicLong();
    final AtomicLong incomingBytes = new AtomicLong();
    long lastBeatNanos = System.nanoTime();
    boolean polling;
    boolean pollAgain;
    boolean scrubbing;

    Node(String id, LocalBlobStore disk, RateLimit scrubLimit) {
      this.id = id;
      this.disk = disk;
      this.scrubLimit = scrubLimit;
    }
  }

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    storage = config.storage();
    pool = Pg.pool(vertx, config);
    catalog = new BlobCatalog(pool);
    collector = new BlobCollector(vertx, catalog);
    tasks = new TaskStore(pool);
    return StorageClient.create(vertx, pool, config)
        .compose(created -> {
          client = created;
          return vertx.executeBlocking(this::openNodes);
        })
        .compose(opened -> {
          nodes.addAll(opened);
          server = vertx.createHttpServer(client.serverOptions().setIdleTimeout(120));
          server.requestHandler(this::handle);
          return server.listen(storage.port(), storage.host());
        })
        .compose(listening -> {
          url = client.url(storage.host(), listening.actualPort());
          TaskRunner runner = new TaskRunner(vertx, pool, client, config);
          List<Future<?>> ready = new ArrayList<>();
          for (Node node : nodes) {
            // items this node had started before a restart died with it; management may start later
            ready.add(tasks.failItemsOn(List.of(node.id), System.currentTimeMillis())
                .compose(v -> heartbeat(node).otherwiseEmpty()));
            vertx.setPeriodic(storage.heartbeatMs(), t -> heartbeat(node));
            vertx.setPeriodic(storage.taskPollMs(), t -> poll(node, runner));
            vertx.eventBus().consumer(Addresses.storageTasks(node.id), m -> poll(node, runner));
            vertx.setPeriodic(scrubCheckMs(), t -> scrub(node));
            vertx.setPeriodic(storage.scrubPeriodMs(), t -> sweepLeftovers(node));
          }
          LOG.info("storage nodes ready [nodes: {}, transfer: {}]", nodes.stream().map(n -> n.id).toList(), url);
          return Future.join(ready);
        });
  }

  private List<Node> openNodes() {
    List<Node> out = new ArrayList<>();
    for (int i = 1; i <= storage.nodes(); i++) {
      String id = storage.nodes() == 1 ? config.nodeId() : config.nodeId() + "-s" + i;
      out.add(new Node(id, new LocalBlobStore(config.dataDir().resolve("blobs").resolve(id)),
          new RateLimit(storage.scrubBytesPerSecond())));
    }
    return out;
  }

  private long scrubCheckMs() {
    return Math.max(100, Math.min(storage.scrubPeriodMs() / 4, 60_000));
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- internal transfer server

  private void handle(HttpServerRequest request) {
    Pipe<Buffer> body = request.pipe().endOnFailure(false);
    String[] path = request.path().split("/");
    Node node = path.length >= 5 && path[1].equals("internal") && path[2].equals("stores") && path[4].equals("blobs")
        ? node(path[3]) : null;
    if (!client.admits(request.getHeader(StorageClient.SECRET_HEADER))) {
      refuse(request, body, 401, "unauthorized", "the transfer secret is missing or wrong");
    } else if (node == null) {
      refuse(request, body, 404, "not_found", "no such storage node here: " + request.path());
    } else if (path.length == 5 && request.method().name().equals("PUT")) {
      receive(request, body, node);
    } else if (path.length == 6 && request.method().name().equals("GET")) {
      body.close();
      send(request, node, path[5]);
    } else {
      refuse(request, body, 405, "method_not_allowed", request.method() + " " + request.path());
    }
  }

  private Node node(String id) {
    return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElse(null);
  }

  private static void refuse(HttpServerRequest request, Pipe<Buffer> body, int status, String code, String message) {
    body.close();
    fail(request.response(), status, code, message);
  }

  /** An error answer in the API's one JSON form, unless the caller is gone. */
  private static void fail(HttpServerResponse response, int status, String code, String message) {
    if (!response.ended() && !response.closed()) {
      Failures.write(response, new Refusal(status, code, message));
    }
  }

  private static void answer(HttpServerResponse response, int status, JsonObject json) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (json == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", "application/json").end(json.encode());
    }
  }

  /**
   * Streams a blob in; answers once it is durable under its hash (S1). Bytes that do not hash to
   * what the sender claimed never take their content address: 400, and nothing else changes.
   */
  private void receive(HttpServerRequest request, Pipe<Buffer> body, Node node) {
    BlobSink.open(vertx, node.disk, StorageClient.expected(request)).onComplete(opened -> {
      if (opened.failed()) {
        refuse(request, body, 507, "storage_failed", "cannot open a blob: " + opened.cause().getMessage());
        return;
      }
      BlobSink sink = opened.result();
      long[] counted = {0};
      body.to(sink).compose(v -> sink.stored()).onComplete(done -> {
        long bytes = sink.bytesWritten();
        node.diskBytes.addAndGet(bytes);
        node.netBytes.addAndGet(bytes);
        node.incomingBytes.addAndGet(-counted[0]);
        if (done.succeeded()) {
          LocalBlobStore.Stored s = done.result();
          LOG.debug("stored [sha256: {}, node: {}, bytes: {}]", s.sha256(), node.id, s.size());
          answer(request.response(), 201, new JsonObject().put("sha256", s.sha256()).put("md5", s.md5())
              .put("size", s.size()).put("path", s.path()).put("node", node.id));
        } else if (done.cause() instanceof LocalBlobStore.ChecksumMismatchException mismatch) {
          LOG.info("upload to storage node dropped [node: {}, cause: {}]", node.id, mismatch.getMessage());
          fail(request.response(), 400, StorageClient.CHECKSUM_MISMATCH, mismatch.getMessage());
        } else {
          sink.abort();
          LOG.info("upload to storage node failed [node: {}, cause: {}]", node.id, done.cause().getMessage());
          fail(request.response(), 500, "storage_failed", String.valueOf(done.cause().getMessage()));
        }
      });
      String length = request.getHeader("Content-Length");
      if (length != null && length.matches("\\d{1,18}")) {
        counted[0] = Long.parseLong(length);
        node.incomingBytes.addAndGet(counted[0]);
      }
    });
  }

  /** Streams bytes {@code [from, to)} of a blob out, each chunk checked before it leaves (S1). */
  private void send(HttpServerRequest request, Node node, String sha256) {
    HttpServerResponse response = request.response();
    long from = longParam(request, "from", 0);
    long to = longParam(request, "to", Long.MAX_VALUE);
    vertx.executeBlocking(() -> node.disk.size(sha256)).onComplete(size -> {
      if (size.failed()) {
        if (size.cause() instanceof IOException io && LocalBlobStore.isMissing(io)) {
          badCopy(node, sha256, "missing");
        }
        fail(response, 404, "not_found", "no copy of " + sha256 + " on " + node.id);
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

  private void pump(HttpServerResponse response, Node node, String sha256, long position, long end) {
    if (response.closed()) {
      return;
    }
    if (position >= end) {
      response.end();
      return;
    }
    vertx.executeBlocking(() -> node.disk.readVerified(sha256, position, end), false).onComplete(read -> {
      if (response.closed() || response.ended()) {
        return;
      }
      if (read.failed()) {
        if (read.cause() instanceof LocalBlobStore.CorruptBlobException) {
          badCopy(node, sha256, read.cause().getMessage());
        }
        if (response.headWritten()) {
          response.reset();
        } else {
          response.headers().clear();
          fail(response, 409, "corrupt", String.valueOf(read.cause().getMessage()));
        }
        return;
      }
      ByteBuffer bytes = read.result();
      int length = bytes.remaining();
      node.diskBytes.addAndGet(length);
      node.netBytes.addAndGet(length);
      response.write(Buffer.buffer(length).appendBytes(bytes.array(), bytes.arrayOffset() + bytes.position(), length));
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump(response, node, sha256, position + length, end));
      } else {
        pump(response, node, sha256, position + length, end);
      }
    });
  }

  private static long longParam(HttpServerRequest request, String name, long fallback) {
    String value = request.getParam(name);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A copy that fails its hash or is gone: every blob sharing it is marked, and the file removed if
   * it still fails (a good copy may have replaced it meanwhile) (S5).
   */
  private void badCopy(Node node, String sha256, String why) {
    LOG.warn("bad copy [sha256: {}, node: {}, cause: {}]", sha256, node.id, why);
    catalog.markCorrupt(node.id, sha256)
        .onSuccess(v -> vertx.eventBus().publish(Addresses.STORAGE_CHANGED, null))
        .compose(v -> vertx.executeBlocking(() -> node.disk.discardIfCorrupt(sha256), false))
        .onFailure(e -> LOG.warn("could not mark a bad copy [sha256: {}, node: {}]", sha256, node.id, e));
  }

  // ---- heartbeats, tasks, scrub

  private Future<Void> heartbeat(Node node) {
    return tasks.pendingBytes(node.id)
        .compose(pending -> vertx.executeBlocking(() -> describe(node, pending)))
        .compose(load -> vertx.eventBus().request(Addresses.STORAGE_HEARTBEAT, load,
            new DeliveryOptions().setSendTimeout(Math.max(1000, storage.heartbeatMs()))))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.debug("heartbeat not taken [node: {}, cause: {}]", node.id, e.getMessage()));
  }

  private StoreLoad describe(Node node, long pendingTaskBytes) throws IOException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Runtime runtime = Runtime.getRuntime();
    long now = System.nanoTime();
    double seconds = Math.max(0.001, (now - node.lastBeatNanos) / 1e9);
    node.lastBeatNanos = now;
    long disk = (long) (node.diskBytes.getAndSet(0) / seconds);
    long net = (long) (node.netBytes.getAndSet(0) / seconds);
    double cpu = Math.max(0, os.getCpuLoad());
    double memory = (double) (runtime.totalMemory() - runtime.freeMemory()) / runtime.maxMemory();
    long free = Files.getFileStore(node.disk.root()).getUsableSpace();
    return new StoreLoad(node.id, config.nodeId(), config.site(), url, cpu, memory, disk, net,
        storage.diskBytesPerSecond(), storage.netBytesPerSecond(), pendingTaskBytes + node.incomingBytes.get(), free);
  }

  /** Claims and runs the node's planned items, a few at a time, until none are left (S7). */
  private void poll(Node node, TaskRunner runner) {
    if (node.polling) {
      node.pollAgain = true;
      return;
    }
    node.polling = true;
    node.pollAgain = false;
    tasks.claim(node.id, CLAIM_BATCH, System.currentTimeMillis())
        .compose(items -> Future.join(items.stream().map(item -> runner.run(item, node.id, node.disk)).toList())
            .map(v -> items.size()))
        .onComplete(ar -> {
          node.polling = false;
          if (ar.failed()) {
            LOG.debug("task poll failed [node: {}, cause: {}]", node.id, ar.cause().getMessage());
          } else if (ar.result() == CLAIM_BATCH || node.pollAgain) {
            poll(node, runner);
          }
        });
  }

  /**
   * Removes what no placement knows: partial files of uploads that died with their node, and blobs
   * whose upload never got recorded. Only files older than {@link BlobCollector#UNRECORDED_GRACE_MS}
   * are touched, so an upload still being recorded is never taken for one; blob files go through
   * the collector, which removes none that a copy references.
   */
  private void sweepLeftovers(Node node) {
    long before = System.currentTimeMillis() - BlobCollector.UNRECORDED_GRACE_MS;
    vertx.executeBlocking(() -> node.disk.leftovers(before), false)
        .compose(found -> {
          for (java.nio.file.Path partial : found.partial()) {
            vertx.executeBlocking(() -> Files.deleteIfExists(partial), false);
          }
          return collector.collect(node.id, node.disk, found.blobs());
        })
        .onSuccess(removed -> removed.forEach(sha256 ->
            LOG.info("leftover blob removed [sha256: {}, node: {}]", sha256, node.id)))
        .onFailure(e -> LOG.warn("leftover sweep failed [node: {}]", node.id, e));
  }

  /** Re-hashes the copies due for it, at the configured rate (S5). */
  private void scrub(Node node) {
    if (node.scrubbing) {
      return;
    }
    node.scrubbing = true;
    long now = System.currentTimeMillis();
    catalog.dueForScrub(node.id, now - storage.scrubPeriodMs(), 16)
        .compose(due -> {
          Future<Void> chain = Future.succeededFuture();
          for (String sha256 : due) {
            chain = chain.compose(v -> vertx.executeBlocking(() -> {
              node.disk.verify(sha256, node.scrubLimit);
              return null;
            }, false).transform(ar -> {
              if (ar.succeeded()) {
                return catalog.verified(node.id, sha256, System.currentTimeMillis());
              }
              badCopy(node, sha256, "scrub: " + ar.cause().getMessage());
              return Future.succeededFuture();
            }));
          }
          return chain;
        })
        .onComplete(ar -> {
          node.scrubbing = false;
          if (ar.failed()) {
            LOG.debug("scrub pass failed [node: {}, cause: {}]", node.id, ar.cause().getMessage());
          }
        });
  }
}
