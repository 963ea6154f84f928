package tributary.http;

import static tributary.http.Replies.json;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.Principal;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.digest.Digests;
import tributary.fault.Refusal;
import tributary.node.LogIds;
import tributary.node.Metrics;
import tributary.placement.FirstCopyChooser;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobRecorder;
import tributary.storage.ContentLength;
import tributary.storage.LiveStores;
import tributary.storage.LocalBlobStore;
import tributary.storage.PriorityOrder;
import tributary.storage.Quorum;
import tributary.storage.SharedDigest;
import tributary.storage.StorageClient;
import tributary.storage.Tee;

/**
 * Uploads (S2): {@code PUT /v1/blobs} streams the body to all its copy nodes at once, the first
 * chosen by load and the others by spread, and answers 201 once two copies are durable and hash
 * alike, and to what the client said it sent; the third follows in the same stream. The blob is
 * the caller's.
 */
final class BlobUploads {
  private static final Logger LOG = LoggerFactory.getLogger(BlobUploads.class);
  static final Set<String> KINDS = Set.of("document", "image", "audio", "video", "other");
  /** Copies durable before an upload is acknowledged (X5). */
  private static final int DURABLE_COPIES = 2;

  private final NodeConfig config;
  private final StorageClient client;
  private final BlobRecorder recorder;
  private final FirstCopyChooser chooser;
  private final LiveStores live;
  private final Random random = new Random();
  /** Where an upload's time goes (X4): until two copies are durable, then its catalog statement. */
  private final Timer durableTime;
  private final Timer recordTime;

  BlobUploads(NodeConfig config, StorageClient client, BlobRecorder recorder, FirstCopyChooser chooser,
      LiveStores live) {
    this.config = config;
    this.client = client;
    this.recorder = recorder;
    this.chooser = chooser;
    this.live = live;
    MeterRegistry registry = Metrics.registry(config);
    this.durableTime = Metrics.timer(registry, "tributary.blob.upload.durable",
        "an upload's copies opened and streamed until two are durable");
    this.recordTime = Metrics.timer(registry, "tributary.blob.upload.record",
        "an acknowledged upload's catalog statement, shared with the uploads recorded meanwhile");
  }

  void upload(RoutingContext rc) {
    Principal who = AuthHandler.principal(rc);
    Pipe<Buffer> body = rc.request().pipe().endOnFailure(false);
    String kind = firstNonNull(rc.queryParams().get("type"), rc.request().getHeader("X-Blob-Type"), "other");
    String name = rc.queryParams().get("name");
    List<String> mirrors = listParam(rc, "mirrors");
    int copies;
    int priority;
    LocalBlobStore.Expected claimed;
    long declared;
    try {
      copies = Params.integer(rc, "copies", config.storage().copies(), 2, 16);
      priority = Params.integer(rc, "priority", PriorityOrder.UNSTATED, 0, PriorityOrder.UNSTATED);
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
    // the view of live nodes is refreshed twice a second; with fewer than the copies wanted it is looked up again
    live.atLeast(copies).onComplete(known -> {
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
        store(rc, body, new Upload(who, kind, name, mirrors, copies, priority, claimed, declared), candidates);
      }
    });
  }

  /** What an upload asked for, once checked. */
  private record Upload(Principal who, String kind, String name, List<String> mirrors, int copies, int priority,
                        LocalBlobStore.Expected claimed, long declared) {}

  /** The upload's size as its Content-Length declares it; 0 when it is streamed in chunks. */
  private static long declaredSize(RoutingContext rc) {
    String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return 0;
    }
    long declared = ContentLength.of(length);
    if (declared < 0) {
      throw Refusal.badRequest("Content-Length must be a whole number of bytes");
    }
    return declared;
  }

  /**
   * The checksums the client says it sends ({@code X-Checksum-SHA256} hex, {@code Content-MD5}
   * base64), as hex for the storage nodes, which drop bytes that hash otherwise before they take
   * their content address.
   */
  private static LocalBlobStore.Expected claimedChecksums(RoutingContext rc) {
    String claimedSha = rc.request().getHeader("X-Checksum-SHA256");
    String sha = claimedSha == null ? null : claimedSha.toLowerCase(Locale.ROOT);
    if (sha != null && !Digests.isSha256Hex(sha)) {
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
    return new LocalBlobStore.Expected(sha, md5Bytes == null ? null : Digests.hex(md5Bytes));
  }

  /**
   * Streams the upload to all its copy nodes at once (up to its copy count, at least two);
   * records it and answers once two hold it durably (X5). The others follow in the same stream:
   * each is recorded when it lands, or handed to a mirror task when it fails.
   */
  private void store(RoutingContext rc, Pipe<Buffer> body, Upload upload, List<StoreLoad> candidates) {
    Principal who = upload.who();
    String requestId = RequestDeadline.idOf(rc);
    List<String> mirrors = upload.mirrors();
    StoreLoad first = chooser.choose(candidates, upload.declared());
    List<StoreLoad> targets = new ArrayList<>(List.of(first));
    targets.addAll(new Placement(random, config.storage().room()).choose(mirrors, candidates, List.of(first),
        upload.copies() - 1, upload.declared()));
    List<StorageClient.CopyUpload> opened = new ArrayList<>();
    Map<StoreLoad, Future<LocalBlobStore.Stored>> outcomes = new LinkedHashMap<>();
    long started = System.nanoTime();
    SharedDigest digest = new SharedDigest();
    List<Future<StorageClient.CopyUpload>> opening = targets.stream()
        .map(t -> client.openCopy(t, upload.claimed(), upload.declared(), digest)).toList();
    Future.join(opening)
        .recover(e -> Future.succeededFuture())
        .compose(v -> {
          for (int i = 0; i < targets.size(); i++) {
            if (opening.get(i).succeeded()) {
              opened.add(opening.get(i).result());
              outcomes.put(targets.get(i), opening.get(i).result().stored());
            }
          }
          Future<Quorum.Reached<StoreLoad, LocalBlobStore.Stored>> durable = Quorum.of(outcomes, DURABLE_COPIES);
          durable.onFailure(e -> body.close());
          Future<Void> piped = body.to(new Tee(opened.stream().map(StorageClient.CopyUpload::bytes).toList(),
              DURABLE_COPIES));
          // a node's refusal closes the body: say why the node refused, not that the pipe closed
          return Future.all(piped, durable).recover(e -> Future.failedFuture(durable.failed() ? durable.cause() : e))
              .map(all -> durable.result());
        })
        .compose(reached -> checkUpload(List.copyOf(reached.durable().values()), upload.claimed()).map(reached))
        .compose(reached -> {
          long durableAt = System.nanoTime();
          durableTime.record(durableAt - started, TimeUnit.NANOSECONDS);
          LocalBlobStore.Stored s = reached.durable().values().iterator().next();
          BlobCatalog.Blob blob = new BlobCatalog.Blob(Ids.newId(), s.sha256(), s.md5(), s.size(), upload.kind(),
              upload.name(),
              firstNonNull(rc.request().getHeader(HttpHeaders.CONTENT_TYPE), "application/octet-stream"), who.id(),
              upload.copies(), mirrors, null, null, config.nodeId(), config.site(), "live", System.currentTimeMillis(),
              upload.priority());
          List<BlobCatalog.Copy> copies = new ArrayList<>();
          reached.durable().forEach((node, copy) -> copies.add(new BlobCatalog.Copy(blob.blobId(), node.storeId(),
              copy.path(), copy.sha256(), copy.md5(), BlobCatalog.HEALTHY, blob.createdAt(), blob.createdAt(), "up",
              node)));
          // the answer names the copies that made the upload durable; one landed since is recorded too
          return recorder.record(blob, reached.durable(), reached.following(), candidates, who.id(), "replicate")
              .onSuccess(v -> recordTime.record(System.nanoTime() - durableAt, TimeUnit.NANOSECONDS))
              .map(v -> blob.toJson().put("copies", BlobReads.copiesJson(copies)));
        })
        .onSuccess(answer -> {
          String blobId = answer.getString("id");
          LogIds.blob(LOG.atInfo(), blobId, requestId).log(
              "blob stored [blob: {}, request: {}, sha256: {}, bytes: {}, copies: {}]", blobId, requestId,
              answer.getString("sha256"), answer.getLong("size"), targets.stream().map(StoreLoad::storeId).toList());
          json(rc, 201, answer);
        })
        .onFailure(e -> {
          opened.forEach(copy -> copy.abandon().run());
          if (e instanceof Refusal) {
            rc.fail(e);
          } else if (e instanceof LocalBlobStore.ChecksumMismatchException) {
            rc.fail(new Refusal(400, StorageClient.CHECKSUM_MISMATCH, e.getMessage()));
          } else {
            LOG.atInfo().addKeyValue(LogIds.REQUEST, requestId).log(
                "upload failed [request: {}, targets: {}, cause: {}]", requestId,
                targets.stream().map(StoreLoad::storeId).toList(), e.getMessage());
            rc.response().putHeader("Connection", "close");
            rc.fail(new Refusal(503, "unavailable",
                "the upload did not reach two durable copies and was not kept: " + e.getMessage()));
          }
        });
  }

  /**
   * The durable copies must hash alike, and to what the client said it sent (the nodes checked that
   * already). A refused upload removes nothing: the content address it reached may hold other
   * blobs' bytes, and what no blob references is collected by the leftover sweep.
   */
  private static Future<List<LocalBlobStore.Stored>> checkUpload(List<LocalBlobStore.Stored> stored,
                                                                 LocalBlobStore.Expected claimed) {
    String problem = stored.stream().allMatch(c -> c.sha256().equals(stored.get(0).sha256()))
        ? claimed.mismatch(stored.get(0)) : "the durable copies hash differently";
    return problem == null ? Future.succeededFuture(stored)
        : Future.failedFuture(new Refusal(400, StorageClient.CHECKSUM_MISMATCH, problem));
  }

  private static String firstNonNull(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static List<String> listParam(RoutingContext rc, String name) {
    String value = rc.queryParams().get(name);
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
