package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.Principal;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.fault.Refusal;
import tributary.placement.FirstCopyChooser;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobReader;
import tributary.storage.BlobRecorder;
import tributary.storage.ByteRange;
import tributary.storage.LocalBlobStore;
import tributary.storage.RepairQueries;
import tributary.storage.StorageClient;
import tributary.storage.StorageNodes;
import tributary.storage.TaskKind;
import tributary.storage.TaskRunner;
import tributary.storage.TaskStore;
import tributary.storage.tasks.FileDigest;
import tributary.storage.tasks.TimestampSeal;
import tributary.store.ClusterSecrets;

/**
 * The storage API of the HTTP face (S2, S5, S7): streamed uploads acknowledged once two copies
 * are durable, downloads with ranges from any healthy copy, delete, timestamp verification,
 * task plans and storage health.
 */
public final class BlobApi implements HttpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(BlobApi.class);
  static final Set<String> KINDS = Set.of("document", "image", "audio", "video", "other");
  private static final long LIVE_REFRESH_MS = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final NodeConfig config;
  private final BlobCatalog catalog;
  private final StorageNodes nodes;
  private final RepairQueries repair;
  private final TaskStore tasks;
  private final StorageClient client;
  private final BlobReader reader;
  private final BlobRecorder recorder;
  private final FirstCopyChooser chooser;
  private final Random random = new Random();
  private List<StoreLoad> live = List.of();

  private BlobApi(Vertx vertx, Pool pool, NodeConfig config, StorageClient client) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.catalog = new BlobCatalog(pool);
    this.nodes = new StorageNodes(pool);
    this.repair = new RepairQueries(pool);
    this.tasks = new TaskStore(pool);
    this.client = client;
    this.reader = new BlobReader(client);
    this.recorder = new BlobRecorder(vertx, pool, config.storage().room());
    this.chooser = new FirstCopyChooser(config.storage().loadScore(), config.storage().room());
  }

  /** The API with the cluster's transfer secret and a fresh view of the live storage nodes. */
  public static Future<BlobApi> create(Vertx vertx, Pool pool, NodeConfig config) {
    return StorageClient.create(vertx, pool, config).compose(client -> {
      BlobApi api = new BlobApi(vertx, pool, config, client);
      vertx.setPeriodic(LIVE_REFRESH_MS, t -> api.refreshLive());
      return api.refreshLive().map(api);
    });
  }

  private Future<List<StoreLoad>> refreshLive() {
    return nodes.liveStores().onSuccess(l -> live = l);
  }

  /** True for requests whose body this API streams itself (no body handler may read it first). */
  public static boolean streamsBody(RoutingContext rc) {
    String path = rc.normalizedPath();
    return (path.equals("/v1/blobs") || path.equals("/v1/blobs/")) && rc.request().method() == HttpMethod.PUT;
  }

  @Override
  public void addRoutes(Router router) {
    router.put("/v1/blobs").handler(this::upload);
    router.get("/v1/blobs/:id/verify").handler(this::verify);
    router.get("/v1/blobs/:id/meta").handler(rc -> readable(rc).onSuccess(b -> catalog.copies(b.blobId())
        .onSuccess(copies -> json(rc, 200, b.toJson().put("copies", copiesJson(copies)))).onFailure(rc::fail)));
    router.head("/v1/blobs/:id").handler(this::download);
    router.get("/v1/blobs/:id").handler(this::download);
    router.delete("/v1/blobs/:id").handler(this::delete);
    router.post("/v1/tasks").handler(this::createTask);
    router.get("/v1/tasks").handler(rc -> {
      String kind = rc.queryParams().get("kind");
      if (kind != null && TaskKind.parse(kind) == null) {
        rc.fail(Refusal.badRequest("kind must be one of mirror, protect, compress, transcode, recycle"));
        return;
      }
      String blobId = rc.queryParams().get("blob");
      int limit = Params.integer(rc, "limit", 100, 1, 1000);
      Principal who = AuthHandler.principal(rc);
      Future<Void> allowed = blobId == null ? Future.succeededFuture() : catalog.blob(blobId).compose(b -> b == null
          ? Future.failedFuture(Refusal.notFound("no blob '" + blobId + "'")) : Rights.useBlob(b, who).mapEmpty());
      allowed.compose(v -> tasks.list(kind, blobId, Rights.blobOwnerFilter(who), limit))
          .onSuccess(list -> json(rc, 200, new JsonObject().put("plans", new JsonArray(list)))).onFailure(rc::fail);
    });
    router.get("/v1/storage/health").handler(rc -> repair.health()
        .onSuccess(h -> json(rc, 200, h)).onFailure(rc::fail));
    router.get("/v1/storage/nodes").handler(rc -> nodes.stores(config.storage().loadScore())
        .onSuccess(s -> json(rc, 200, new JsonObject().put("nodes", new JsonArray(s)))).onFailure(rc::fail));
  }

  // ---- upload

  private void upload(RoutingContext rc) {
    Principal who = AuthHandler.principal(rc);
    Pipe<Buffer> body = rc.request().pipe().endOnFailure(false);
    String kind = firstNonNull(rc.queryParams().get("type"), rc.request().getHeader("X-Blob-Type"), "other");
    String name = rc.queryParams().get("name");
    List<String> mirrors = listParam(rc, "mirrors");
    int copies;
    LocalBlobStore.Expected claimed;
    long declared;
    try {
      copies = Params.integer(rc, "copies", config.storage().copies(), 2, 16);
      claimed = claimedChecksums(rc);
      declared = declaredSize(rc);
      if (!KINDS.contains(kind)) {
        throw Refusal.badRequest("type must be one of document, image, audio, video, other");
      }
      if (name != null && (name.length() > 255 || name.chars().anyMatch(Character::isISOControl))) {
        throw Refusal.badRequest("name must be at most 255 characters without control characters");
      }
    } catch (Refusal e) {
      body.close();
      rc.fail(e);
      return;
    }
    // the view of live nodes is refreshed twice a second; a node that just came up is looked for
    (live.size() >= 2 ? Future.succeededFuture(live) : refreshLive()).onComplete(known -> {
      List<StoreLoad> candidates = known.succeeded() ? known.result() : List.of();
      if (candidates.size() < 2) {
        body.close();
        rc.fail(new Refusal(503, "unavailable", "fewer than two storage nodes are up; an upload needs two copies"));
      } else if (config.storage().room().withRoomFor(candidates, declared).size() < 2) {
        body.close();
        rc.response().putHeader("Connection", "close");
        rc.fail(new Refusal(507, "insufficient_storage", "fewer than two storage nodes have room for "
            + (declared > 0 ? declared + " bytes" : "an upload") + "; an upload needs two copies"));
      } else {
        store(rc, body, new Upload(who, kind, name, mirrors, copies, claimed, declared), candidates);
      }
    });
  }

  /** What an upload asked for, once checked. */
  private record Upload(Principal who, String kind, String name, List<String> mirrors, int copies,
                        LocalBlobStore.Expected claimed, long declared) {}

  /** The upload's size as its Content-Length declares it; 0 when it is streamed in chunks. */
  private static long declaredSize(RoutingContext rc) {
    String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return 0;
    }
    if (!length.matches("\\d{1,18}")) {
      throw Refusal.badRequest("Content-Length must be a whole number of bytes");
    }
    return Long.parseLong(length);
  }

  /**
   * The checksums the client says it sends ({@code X-Checksum-SHA256} hex, {@code Content-MD5}
   * base64), as hex for the storage nodes, which drop bytes that hash otherwise before they take
   * their content address.
   */
  private static LocalBlobStore.Expected claimedChecksums(RoutingContext rc) {
    String sha = rc.request().getHeader("X-Checksum-SHA256");
    if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
      throw Refusal.badRequest("X-Checksum-SHA256 must be a SHA-256 in 64 hex digits");
    }
    String md5 = rc.request().getHeader("Content-MD5");
    byte[] md5Bytes = null;
    if (md5 != null) {
      try {
        md5Bytes = Base64.getDecoder().decode(md5.trim());
      } catch (IllegalArgumentException e) {
        md5Bytes = new byte[0];
      }
      if (md5Bytes.length != 16) {
        throw Refusal.badRequest("Content-MD5 must be an MD5 digest in base64");
      }
    }
    return new LocalBlobStore.Expected(sha == null ? null : sha.toLowerCase(),
        md5Bytes == null ? null : HexFormat.of().formatHex(md5Bytes));
  }

  /** Streams the upload to two nodes at once; records it once both hold it durably. */
  private void store(RoutingContext rc, Pipe<Buffer> body, Upload upload, List<StoreLoad> candidates) {
    Principal who = upload.who();
    List<String> mirrors = upload.mirrors();
    StoreLoad first = chooser.choose(candidates, upload.declared());
    List<StoreLoad> firstOnly = List.of(first);
    List<StoreLoad> second = new Placement(random, config.storage().room()).choose(mirrors, candidates, firstOnly, 1,
        upload.declared());
    List<StoreLoad> targets = List.of(first, second.get(0));
    List<HttpClientRequest> opened = new ArrayList<>();
    Future.all(targets.stream().map(t -> client.openUpload(t, upload.claimed())).toList())
        .compose(all -> {
          for (int i = 0; i < targets.size(); i++) {
            opened.add(all.resultAt(i));
          }
          Future<List<LocalBlobStore.Stored>> stored = Future.all(opened.stream().map(StorageClient::storedBy)
              .toList()).map(f -> f.<LocalBlobStore.Stored>list());
          stored.onFailure(e -> body.close());
          Future<Void> piped = body.to(new tributary.storage.Tee(opened));
          // a node's refusal closes the body: say why the node refused, not that the pipe closed
          return Future.all(piped, stored).recover(e -> Future.failedFuture(stored.failed() ? stored.cause() : e))
              .map(v -> stored.result());
        })
        .compose(stored -> checkUpload(stored, upload.claimed()))
        .compose(stored -> {
          LocalBlobStore.Stored s = stored.get(0);
          BlobCatalog.Blob blob = new BlobCatalog.Blob(Ids.newId(), s.sha256(), s.md5(), s.size(), upload.kind(),
              upload.name(),
              firstNonNull(rc.request().getHeader(HttpHeaders.CONTENT_TYPE), "application/octet-stream"), who.id(),
              upload.copies(), mirrors, null, null, config.nodeId(), config.site(), "live", System.currentTimeMillis());
          Map<StoreLoad, LocalBlobStore.Stored> durable = new LinkedHashMap<>();
          durable.put(targets.get(0), stored.get(0));
          durable.put(targets.get(1), stored.get(1));
          List<BlobCatalog.Copy> copies = new ArrayList<>();
          durable.forEach((node, copy) -> copies.add(new BlobCatalog.Copy(blob.blobId(), node.storeId(), copy.path(),
              copy.sha256(), copy.md5(), BlobCatalog.HEALTHY, blob.createdAt(), blob.createdAt(), "up", node)));
          return recorder.record(blob, durable, candidates, who.id(), "replicate")
              .map(v -> blob.toJson().put("copies", copiesJson(copies)));
        })
        .onSuccess(answer -> {
          LOG.info("blob stored [blob: {}, sha256: {}, bytes: {}, copies: {}]", answer.getString("id"),
              answer.getString("sha256"), answer.getLong("size"), targets.stream().map(StoreLoad::storeId).toList());
          json(rc, 201, answer);
        })
        .onFailure(e -> {
          opened.forEach(StorageClient::abandon);
          if (e instanceof Refusal) {
            rc.fail(e);
          } else if (e instanceof LocalBlobStore.ChecksumMismatchException) {
            rc.fail(new Refusal(400, StorageClient.CHECKSUM_MISMATCH, e.getMessage()));
          } else {
            LOG.info("upload failed [targets: {}, cause: {}]", targets.stream().map(StoreLoad::storeId).toList(),
                e.getMessage());
            rc.response().putHeader("Connection", "close");
            rc.fail(new Refusal(503, "unavailable",
                "the upload did not reach two durable copies and was not kept: " + e.getMessage()));
          }
        });
  }

  /**
   * Both copies must hash alike, and to what the client said it sent (the nodes checked that
   * already). A refused upload removes nothing: the content address it reached may hold other
   * blobs' bytes, and what no blob references is collected by the leftover sweep.
   */
  private static Future<List<LocalBlobStore.Stored>> checkUpload(List<LocalBlobStore.Stored> stored,
                                                                 LocalBlobStore.Expected claimed) {
    String problem = stored.get(0).sha256().equals(stored.get(1).sha256()) ? claimed.mismatch(stored.get(0))
        : "the two copies hash differently";
    return problem == null ? Future.succeededFuture(stored)
        : Future.failedFuture(new Refusal(400, StorageClient.CHECKSUM_MISMATCH, problem));
  }

  // ---- download, delete

  /** The blob if the caller may read it: its owner or an administrator. */
  private Future<BlobCatalog.Blob> readable(RoutingContext rc) {
    String id = rc.pathParam("id");
    Principal who = AuthHandler.principal(rc);
    return catalog.blob(id).compose(b -> {
      if (b == null || !"live".equals(b.state())) {
        return Future.failedFuture(Refusal.notFound("no blob '" + id + "'"));
      }
      return Rights.useBlob(b, who);
    }).onFailure(rc::fail);
  }

  private void download(RoutingContext rc) {
    readable(rc).onSuccess(blob -> copiesOf(blob).onFailure(rc::fail).onSuccess(readableCopies -> {
      ByteRange range;
      try {
        range = ByteRange.parse(rc.request().getHeader("Range"), blob.size());
      } catch (ByteRange.Unsatisfiable e) {
        rc.response().putHeader("Content-Range", "bytes */" + blob.size());
        rc.fail(new Refusal(416, "range_not_satisfiable", e.getMessage()));
        return;
      }
      if (readableCopies.isEmpty()) {
        rc.fail(new Refusal(503, "unavailable", "no healthy copy of this blob is reachable now"));
        return;
      }
      long from = range == null ? 0 : range.start();
      long to = range == null ? blob.size() : range.end();
      HttpServerResponse response = rc.response();
      response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
          .putHeader("Accept-Ranges", "bytes")
          .putHeader(HttpHeaders.CONTENT_TYPE, blob.contentType())
          .putHeader(HttpHeaders.ETAG, "\"" + blob.sha256() + "\"")
          .putHeader("X-Checksum-SHA256", blob.sha256())
          .putHeader("X-Checksum-MD5", blob.md5())
          .putHeader("Digest", "sha-256=" + base64(blob.sha256()))
          .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(to - from));
      if (range == null) {
        response.putHeader("Content-MD5", base64(blob.md5()));
      } else {
        response.setStatusCode(206).putHeader("Content-Range", range.contentRange(blob.size()));
      }
      if (rc.request().method() == HttpMethod.HEAD) {
        response.end();
        return;
      }
      reader.copy(readableCopies, blob.sha256(), from, to, response, null).onComplete(ar -> {
        if (ar.succeeded()) {
          response.end();
        } else if (response.headWritten()) {
          LOG.warn("download broke off [blob: {}, cause: {}]", blob.blobId(), ar.cause().getMessage());
          response.reset();
        } else {
          rc.fail(new Refusal(503, "unavailable", "no copy could be read: " + ar.cause().getMessage()));
        }
      });
    }));
  }

  private void delete(RoutingContext rc) {
    readable(rc).onSuccess(blob -> catalog.copies(blob.blobId()).compose(copies -> {
      List<TaskStore.Planned> items = recycleItems(blob, copies);
      return recycle(blob, items, "recycle-" + Ids.newId(), new JsonObject().put("reason", "delete"),
          AuthHandler.principal(rc).id()).onSuccess(v -> notify(items));
    }).onSuccess(v -> rc.response().setStatusCode(204).end()).onFailure(rc::fail));
  }

  /** A recycle item for every copy of the blob not already gone. */
  private static List<TaskStore.Planned> recycleItems(BlobCatalog.Blob blob, List<BlobCatalog.Copy> copies) {
    return copies.stream().filter(c -> !BlobCatalog.DELETED.equals(c.state()))
        .map(c -> new TaskStore.Planned(TaskKind.RECYCLE, blob.blobId(), c.storeId(), null, 0)).toList();
  }

  /** Hides the blob at once and plans the collection of its copies, in one transaction. */
  private Future<Void> recycle(BlobCatalog.Blob blob, List<TaskStore.Planned> items, String planId, JsonObject params,
                               String who) {
    long now = System.currentTimeMillis();
    return pool.withTransaction(tx -> catalog.markDeleted(tx, blob.blobId(), now)
        .compose(v -> TaskStore.plan(tx, planId, TaskKind.RECYCLE, blob.blobId(), params, who, now, items)));
  }

  private void notify(List<TaskStore.Planned> items) {
    items.stream().map(TaskStore.Planned::runOn).distinct()
        .forEach(id -> vertx.eventBus().publish(Addresses.storageTasks(id), null));
  }

  // ---- tasks

  /** {@code POST /v1/tasks {"kind", "blob", "params"}}: plans a task on a blob (S6, S7). */
  private void createTask(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    TaskKind kind = TaskKind.parse(Params.string(body, "kind", ""));
    String blobId = Params.string(body, "blob", null);
    if (kind == null || blobId == null) {
      throw Refusal.badRequest("needs \"kind\" (mirror, protect, compress, transcode, recycle) and \"blob\"");
    }
    JsonObject params = Params.object(body, "params", new JsonObject());
    if (kind == TaskKind.PROTECT && !List.of("watermark", "timestamp").contains(Params.string(params, "mode", ""))) {
      throw Refusal.badRequest("protect needs params.mode: watermark or timestamp");
    }
    List<String> wanted = kind == TaskKind.MIRROR ? Params.stringList(params, "targets") : List.of();
    rc.pathParams().put("id", blobId);
    readable(rc).onSuccess(blob -> catalog.copies(blob.blobId()).compose(copies -> {
      List<BlobCatalog.Copy> healthy = copies.stream().filter(BlobCatalog.Copy::readable).toList();
      List<TaskStore.Planned> items = new ArrayList<>();
      switch (kind) {
        case MIRROR -> {
          List<StoreLoad> holders = healthy.stream().map(BlobCatalog.Copy::store).toList();
          for (StoreLoad t : new Placement(random, config.storage().room()).choose(wanted, live, holders,
              wanted.isEmpty() ? 1 : wanted.size(), blob.size())) {
            items.add(new TaskStore.Planned(kind, blob.blobId(), t.storeId(),
                healthy.isEmpty() ? null : healthy.get(0).storeId(), blob.size()));
          }
        }
        case RECYCLE -> items.addAll(recycleItems(blob, copies));
        default -> chooser.rank(healthy.stream().map(BlobCatalog.Copy::store).toList()).stream().findFirst()
            .ifPresent(s -> items.add(new TaskStore.Planned(kind, blob.blobId(), s.storeId(), null, blob.size())));
      }
      if (items.isEmpty()) {
        return Future.failedFuture(new Refusal(409, "no_node", "no live storage node can run this task now"));
      }
      String planId = kind.id() + "-" + Ids.newId();
      String who = AuthHandler.principal(rc).id();
      Future<Void> planned = kind == TaskKind.RECYCLE ? recycle(blob, items, planId, params, who)
          : tasks.plan(planId, kind, blob.blobId(), params, who, System.currentTimeMillis(), items);
      return planned.compose(v -> {
        notify(items);
        return tasks.list(kind.id(), blob.blobId(), null, 1000);
      }).map(plans -> plans.stream().filter(p -> planId.equals(p.getString("id"))).findFirst().orElseThrow());
    }).onSuccess(plan -> json(rc, 202, plan)).onFailure(rc::fail));
  }

  // ---- timestamp verification

  /**
   * {@code GET /v1/blobs/{id}/verify[?seal=]}: checks the blob's timestamp seal (its latest, or
   * the one named): the signature, then the digests of the bytes the blob serves now. A named seal
   * the caller may not use is answered like one that does not exist.
   */
  private void verify(RoutingContext rc) {
    String sealId = rc.queryParams().get("seal");
    Principal who = AuthHandler.principal(rc);
    readable(rc).onSuccess(blob -> (sealId != null
        ? catalog.blob(sealId).map(seal -> seal != null && Rights.mayUse(seal, who) ? seal : null)
        : catalog.derivedFrom(blob.blobId()).map(list -> list.stream()
            .filter(b -> "protect:timestamp".equals(b.derivedBy()) && "live".equals(b.state()))
            .reduce((a, b) -> b).orElse(null)))
        .compose(seal -> {
          if (seal == null || !"protect:timestamp".equals(seal.derivedBy())) {
            return Future.failedFuture(Refusal.notFound("no timestamp seal for this blob; plan a protect task "
                + "with mode timestamp first"));
          }
          return Future.all(readAll(seal), digest(blob), ClusterSecrets.secret(pool, TaskRunner.SEAL_SECRET))
              .map(all -> {
                TimestampSeal.Manifest manifest = TimestampSeal.Manifest.fromJson(all.<Buffer>resultAt(0).toString());
                FileDigest actual = all.resultAt(1);
                try {
                  TimestampSeal.Verdict verdict = TimestampSeal.verify(() -> actual, manifest, all.resultAt(2));
                  return new JsonObject().put("blob", blob.blobId()).put("seal", seal.blobId())
                      .put("valid", verdict == TimestampSeal.Verdict.VALID).put("verdict", verdict.name().toLowerCase())
                      .put("sealedAt", manifest.sealedAt()).put("sealedBy", manifest.sealedBy())
                      .put("sealedSha256", manifest.sha256()).put("actualSha256", actual.sha256());
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
        })
        .onSuccess(result -> json(rc, 200, result)).onFailure(rc::fail));
  }

  private Future<Buffer> readAll(BlobCatalog.Blob blob) {
    Buffer all = Buffer.buffer();
    return copiesOf(blob).compose(copies -> reader.copy(copies, blob.sha256(), 0, blob.size(),
        new DigestStream(null, all), null)).map(all);
  }

  /** SHA-256, MD5 and size of the bytes the blob serves now, read from its copies. */
  private Future<FileDigest> digest(BlobCatalog.Blob blob) {
    DigestStream digest = new DigestStream(List.of("SHA-256", "MD5"), null);
    return copiesOf(blob).compose(copies -> reader.copy(copies, blob.sha256(), 0, blob.size(), digest, null))
        .map(v -> digest.result());
  }

  /** The nodes holding a readable copy of the blob, least loaded first. */
  private Future<List<StoreLoad>> copiesOf(BlobCatalog.Blob blob) {
    return catalog.copies(blob.blobId()).map(copies -> chooser.rank(copies.stream()
        .filter(BlobCatalog.Copy::readable).map(BlobCatalog.Copy::store).toList()));
  }

  /** A sink that digests what it is given, or keeps it (small files only). */
  private static final class DigestStream implements WriteStream<Buffer> {
    private final List<MessageDigest> digests = new ArrayList<>();
    private final Buffer keep;
    private long size;

    DigestStream(List<String> algorithms, Buffer keep) {
      this.keep = keep;
      for (String a : algorithms == null ? List.<String>of() : algorithms) {
        try {
          digests.add(MessageDigest.getInstance(a));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    FileDigest result() {
      HexFormat hex = HexFormat.of();
      return new FileDigest(hex.formatHex(digests.get(0).digest()), hex.formatHex(digests.get(1).digest()), size);
    }

    @Override
    public Future<Void> write(Buffer data) {
      size += data.length();
      byte[] bytes = data.getBytes();
      digests.forEach(d -> d.update(bytes));
      if (keep != null) {
        keep.appendBuffer(data);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
      return this;
    }
  }

  // ---- helpers

  static JsonArray copiesJson(List<BlobCatalog.Copy> copies) {
    return new JsonArray(copies.stream().map(BlobCatalog.Copy::toJson).toList());
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private static String firstNonNull(String... values) {
    return Arrays.stream(values).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
  }

  private static List<String> listParam(RoutingContext rc, String name) {
    String value = rc.queryParams().get(name);
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

}
