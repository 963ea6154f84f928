package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.Principal;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.digest.Digests;
import tributary.fault.Refusal;
import tributary.placement.FirstCopyChooser;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobRecorder;
import tributary.storage.LiveStores;
import tributary.storage.LocalBlobStore;
import tributary.storage.PriorityOrder;
import tributary.storage.StorageClient;

/**
 * Uploads (S2): {@code PUT /v1/blobs} streams the body to two storage nodes at once, chosen by
 * load and spread, and answers 201 once both copies are durable and hash alike, and to what the
 * client said it sent; the blob is the caller's.
 */
final class BlobUploads {
  private static final Logger LOG = LoggerFactory.getLogger(BlobUploads.class);
  static final Set<String> KINDS = Set.of("document", "image", "audio", "video", "other");

  private final NodeConfig config;
  private final StorageClient client;
  private final BlobRecorder recorder;
  private final FirstCopyChooser chooser;
  private final LiveStores live;
  private final Random random = new Random();

  BlobUploads(NodeConfig config, StorageClient client, BlobRecorder recorder, FirstCopyChooser chooser,
      LiveStores live) {
    this.config = config;
    this.client = client;
    this.recorder = recorder;
    this.chooser = chooser;
    this.live = live;
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
    // the view of live nodes is refreshed twice a second; a node that just came up is looked for
    live.atLeast(2).onComplete(known -> {
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
        md5Bytes == null ? null : Digests.hex(md5Bytes));
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
              upload.copies(), mirrors, null, null, config.nodeId(), config.site(), "live", System.currentTimeMillis(),
              upload.priority());
          Map<StoreLoad, LocalBlobStore.Stored> durable = new LinkedHashMap<>();
          durable.put(targets.get(0), stored.get(0));
          durable.put(targets.get(1), stored.get(1));
          List<BlobCatalog.Copy> copies = new ArrayList<>();
          durable.forEach((node, copy) -> copies.add(new BlobCatalog.Copy(blob.blobId(), node.storeId(), copy.path(),
              copy.sha256(), copy.md5(), BlobCatalog.HEALTHY, blob.createdAt(), blob.createdAt(), "up", node)));
          return recorder.record(blob, durable, candidates, who.id(), "replicate")
              .map(v -> blob.toJson().put("copies", BlobReads.copiesJson(copies)));
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

  private static String firstNonNull(String... values) {
    return Arrays.stream(values).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
  }

  private static List<String> listParam(RoutingContext rc, String name) {
    String value = rc.queryParams().get(name);
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
