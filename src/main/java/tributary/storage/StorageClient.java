package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tributary.auth.Tokens;
import tributary.config.NodeConfig;
import tributary.digest.Digests;
import tributary.placement.StoreLoad;
import tributary.store.ClusterSecrets;

/**
 * The storage nodes' internal transfer protocol, from the caller's side: blobs move between
 * nodes as HTTP streams, never as one buffer. Every request carries the cluster's transfer secret.
 *
 * <ul>
 *   <li>{@code PUT /internal/stores/{store}/blobs} streams a new blob in; 201 with its checksums
 *       once it is durable there; with {@value #SHA256_HEADER} or {@value #MD5_HEADER} (hex), bytes
 *       that hash otherwise are dropped before they take their content address and the answer is
 *       400 {@code checksum_mismatch};
 *   <li>{@code PUT /internal/stores/{store}/needles} carries a batch of small blobs ({@link
 *       NeedleFrames}); 200 with a JSON array, per blob, of what the upload of it alone would have
 *       answered: its checksums, or its own error;
 *   <li>{@code GET /internal/stores/{store}/blobs/{sha256}?from=&to=} streams bytes {@code [from,
 *       to)}, each chunk checked before it is sent; a bad chunk ends the stream with a reset;
 * </ul>
 */
public final class StorageClient {
  /** Name of the cluster secret that internal transfers carry. */
  public static final String SECRET_NAME = "storage-transfer";
  public static final String SECRET_HEADER = "X-Tributary-Secret";
  public static final String SIZE_HEADER = "X-Blob-Size";
  public static final String SHA256_HEADER = "X-Checksum-SHA256";
  public static final String MD5_HEADER = "X-Checksum-MD5";

  private final Vertx vertx;
  private final HttpClient client;
  private final String secret;

  private final TransferTls tls;
  /** Uploads of a declared size below this travel to another process's node in batches. */
  private final long batchedBelow;
  /** Per batch URL (one storage node at one address). */
  private final Map<String, Batches<NeedleFrames.Frame, JsonObject>> batches = new ConcurrentHashMap<>();

  private StorageClient(Vertx vertx, byte[] secret, TransferTls tls, long smallBlobBytes) {
    this.vertx = vertx;
    this.batchedBelow = Math.min(smallBlobBytes, NeedleFrames.MAX_BLOB_BYTES);
    this.client = vertx.createHttpClient(TransferTls.client(tls).setIdleTimeout(60).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    this.secret = Digests.hex(secret);
    this.tls = tls;
  }

  /** A client carrying the cluster's transfer secret (made at first use), over TLS when the node's options ask. */
  public static Future<StorageClient> create(Vertx vertx, Pool pool, NodeConfig config) {
    return TransferTls.load(vertx, pool, config.tls()).compose(tls -> ClusterSecrets.secret(pool, SECRET_NAME)
        .map(key -> new StorageClient(vertx, key, tls, config.storage().smallBlobBytes())));
  }

  /** Options of a transfer server that this client (and every other of the cluster) can reach. */
  public HttpServerOptions serverOptions() {
    return TransferTls.server(tls);
  }

  /** The address of a transfer server listening on this host and port. */
  public String url(String host, int port) {
    return TransferTls.scheme(tls) + "://" + host + ":" + port;
  }

  /** Whether a request to a storage node carries the secret this client sends (compared in constant time). */
  public boolean admits(String presented) {
    return Tokens.sameSecret(secret, presented);
  }

  public void close() {
    client.close();
  }

  private static LocalBlobStore.Stored stored(JsonObject json) {
    return new LocalBlobStore.Stored(json.getString("sha256"), json.getString("md5"), json.getLong("size"),
        json.getString("path"));
  }

  /**
   * One copy of an upload on its way to a storage node: where its bytes are written, then ended;
   * its checksums once it is durable on the node (a {@link LocalBlobStore.ChecksumMismatchException}
   * when the node dropped bytes that hash otherwise); and how to give it up when it will not complete.
   */
  public record CopyUpload(WriteStream<Buffer> bytes, Future<LocalBlobStore.Stored> stored, Runnable abandon) {}

  /**
   * Opens a copy of an upload on the node, kept there only if it hashes to {@code expected}: a
   * node of this Vert.x instance is written directly ({@link InProcessStores}), any other over
   * its transfer server, in a batch with other small copies for it when {@code declared} (the size
   * announced, 0 when unknown) says the copy is small. The copies of one upload in this process
   * hash its bytes once, in {@code digest}: give each of them the same.
   */
  public Future<CopyUpload> openCopy(StoreLoad node, LocalBlobStore.Expected expected, long declared,
                                     SharedDigest digest) {
    Optional<InProcessStores.Hosted> here = InProcessStores.find(vertx, node.storeId());
    if (here.isPresent()) {
      return Future.succeededFuture(inProcess(here.get().node(), expected, declared, digest));
    }
    if (declared > 0 && declared < batchedBelow) {
      return Future.succeededFuture(batched(node, expected));
    }
    return openUpload(node, expected)
        .map(request -> new CopyUpload(request, storedBy(request), () -> StorageClient.abandon(request)));
  }

  /** A copy into a node of this instance, counted in its load as its transfer server counts one. */
  private CopyUpload inProcess(StorageNode node, LocalBlobStore.Expected expected, long declared,
                               SharedDigest digest) {
    BlobSink sink = BlobSink.into(vertx, node, expected, declared, digest);
    return new CopyUpload(sink, sink.stored(), sink::abort);
  }

  /**
   * A small copy, held whole until it ends and then sent in the node's next batch (S1): what
   * arrives while one batch is under way goes in the next, so concurrent small uploads cost a
   * request per batch, not per copy, and their needles share the node's group fsync.
   */
  private CopyUpload batched(StoreLoad node, LocalBlobStore.Expected expected) {
    HeldBytes held = new HeldBytes();
    String url = node.url() + "/internal/stores/" + node.storeId() + "/needles";
    Future<LocalBlobStore.Stored> stored = held.ended().compose(bytes -> {
      NeedleFrames.Frame frame = new NeedleFrames.Frame(expected, bytes);
      return batches.computeIfAbsent(url, u -> new Batches<>(BATCH_BLOBS, NeedleFrames.MAX_BLOB_BYTES,
          frames -> sendBatch(u, frames))).add(frame, frame.framedSize());
    }).compose(StorageClient::storedIn);
    return new CopyUpload(held, stored, held::abandon);
  }

  /** Blobs in one batch request at most. */
  static final int BATCH_BLOBS = 64;

  private Future<List<JsonObject>> sendBatch(String url, List<NeedleFrames.Frame> frames) {
    return client.request(options(HttpMethod.PUT, url)).compose(request -> request
        .putHeader("Content-Type", "application/octet-stream")
        .send(NeedleFrames.encode(frames))
        .compose(r -> r.body().compose(body -> {
          if (r.statusCode() == 200) {
            return Future.succeededFuture(body.toJsonArray().stream().map(JsonObject.class::cast).toList());
          }
          abandon(request);
          return Future.failedFuture("storage node refused a batch: " + r.statusCode() + " " + body);
        })));
  }

  /** A blob's entry in a batch's answer: what it stored, or why not. */
  private static Future<LocalBlobStore.Stored> storedIn(JsonObject entry) {
    String error = entry.getString("error");
    if (error == null) {
      return Future.succeededFuture(stored(entry));
    }
    if (error.equals(CHECKSUM_MISMATCH)) {
      return Future.failedFuture(new LocalBlobStore.ChecksumMismatchException(entry.getString("message")));
    }
    return Future.failedFuture("storage node refused a blob of a batch: " + error + " " + entry.getString("message"));
  }

  /**
   * Opens an upload to the node, kept there only if it hashes to {@code expected}; write the
   * bytes, end it, then read {@link #storedBy}.
   */
  private Future<HttpClientRequest> openUpload(StoreLoad node, LocalBlobStore.Expected expected) {
    RequestOptions options = options(HttpMethod.PUT, node.url() + "/internal/stores/" + node.storeId() + "/blobs");
    if (expected.sha256() != null) {
      options.addHeader(SHA256_HEADER, expected.sha256());
    }
    if (expected.md5() != null) {
      options.addHeader(MD5_HEADER, expected.md5());
    }
    return client.request(options).map(request -> request.setChunked(true));
  }

  /** What an upload to a storage node must hash to, from its {@link #openUpload} headers. */
  public static LocalBlobStore.Expected expected(HttpServerRequest upload) {
    return new LocalBlobStore.Expected(upload.getHeader(SHA256_HEADER), upload.getHeader(MD5_HEADER));
  }

  /**
   * The checksums the node answers once the upload's bytes are durable there; a {@link
   * LocalBlobStore.ChecksumMismatchException} when the node dropped bytes that hash otherwise.
   */
  public static Future<LocalBlobStore.Stored> storedBy(HttpClientRequest upload) {
    return upload.response().compose(r -> r.body().compose(body -> {
      if (r.statusCode() == 201) {
        return Future.succeededFuture(stored(body.toJsonObject()));
      }
      abandon(upload);
      if (r.statusCode() == 400 && body.toString().contains("\"" + CHECKSUM_MISMATCH + "\"")) {
        return Future.failedFuture(new LocalBlobStore.ChecksumMismatchException(
            body.toJsonObject().getString("message")));
      }
      return Future.failedFuture("storage node refused the upload: " + r.statusCode() + " " + body);
    }));
  }

  /**
   * Ends an upload that will not complete. A node that refuses an upload answers before the
   * request is sent whole, and a {@code reset()} after that answer does nothing: the connection
   * went back to the pool with half a request on it, and the next transfer to that transfer server
   * (whichever of its stores, healthy ones too) that took it failed ("unexpected message type") or
   * hung. Closing the connection ends both.
   */
  public static void abandon(HttpClientRequest upload) {
    upload.reset();
    if (upload.connection() != null) {
      upload.connection().close();
    }
  }

  /** The error code of an upload a storage node dropped because it hashed otherwise than claimed. */
  public static final String CHECKSUM_MISMATCH = "checksum_mismatch";

  /**
   * Stores bytes already in memory (small blobs such as record segments) on the node; the copies
   * of the same bytes in this process share {@code digest}.
   */
  public Future<LocalBlobStore.Stored> put(StoreLoad node, Buffer bytes, SharedDigest digest) {
    return openCopy(node, LocalBlobStore.Expected.NOTHING, bytes.length(), digest)
        .compose(copy -> copy.bytes().end(bytes).compose(v -> copy.stored()));
  }

  /** Bytes of a copy on their way to the reader, and how to stop them. */
  public record CopyRead(ReadStream<Buffer> bytes, Runnable cancel) {}

  /**
   * Streams bytes {@code [from, to)} of the node's copy of a blob, each chunk checked before it
   * leaves the node: straight from the store when this instance hosts the node, else through its
   * transfer server. Fails when the node has no copy; a copy found bad on the way ends the stream
   * with an error.
   */
  public Future<CopyRead> read(StoreLoad node, String sha256, long from, long to) {
    Optional<InProcessStores.Hosted> here = InProcessStores.find(vertx, node.storeId());
    if (here.isPresent()) {
      CopyReadStream copy = new CopyReadStream(vertx, here.get().node(), here.get().badCopies(), sha256, from, to);
      return Future.succeededFuture(new CopyRead(copy, copy::cancel));
    }
    return client.request(options(HttpMethod.GET, node.url() + "/internal/stores/" + node.storeId() + "/blobs/"
            + sha256 + "?from=" + from + "&to=" + to))
        .compose(HttpClientRequest::send)
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(new CopyRead(r, () -> r.request().reset()))
            : r.body().compose(b -> Future.failedFuture("storage node " + node.storeId() + " answered "
                + r.statusCode() + ": " + b)));
  }

  private RequestOptions options(HttpMethod method, String url) {
    return new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add(SECRET_HEADER, secret));
  }
}
