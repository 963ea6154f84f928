package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.HexFormat;
import tributary.store.ClusterSecrets;

/**
 * The storage nodes' internal transfer protocol, from the caller's side: blobs move between
 * nodes as HTTP streams, never as one buffer. Every request carries the cluster's transfer secret.
 *
 * <ul>
 *   <li>{@code PUT /internal/stores/{store}/blobs} streams a new blob in; 201 with its checksums
 *       once it is durable there;
 *   <li>{@code GET /internal/stores/{store}/blobs/{sha256}?from=&to=} streams bytes {@code [from,
 *       to)}, each chunk checked before it is sent; a bad chunk ends the stream with a reset;
 *   <li>{@code DELETE /internal/stores/{store}/blobs/{sha256}} removes the file.
 * </ul>
 */
public final class StorageClient {
  /** Name of the cluster secret that internal transfers carry. */
  public static final String SECRET_NAME = "storage-transfer";
  public static final String SECRET_HEADER = "X-Tributary-Secret";
  public static final String SIZE_HEADER = "X-Blob-Size";

  private final HttpClient client;
  private final String secret;

  private StorageClient(Vertx vertx, byte[] secret) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(60).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    this.secret = HexFormat.of().formatHex(secret);
  }

  /** A client carrying the cluster's transfer secret (made at first use). */
  public static Future<StorageClient> create(Vertx vertx, Pool pool) {
    return ClusterSecrets.secret(pool, SECRET_NAME).map(key -> new StorageClient(vertx, key));
  }

  /** Whether a request to a storage node carries the secret this client sends. */
  public boolean admits(String presented) {
    return secret.equals(presented);
  }

  public void close() {
    client.close();
  }

  private static LocalBlobStore.Stored stored(JsonObject json) {
    return new LocalBlobStore.Stored(json.getString("sha256"), json.getString("md5"), json.getLong("size"),
        json.getString("path"));
  }

  /** Opens an upload to the node; write the bytes, end it, then read {@link #storedBy}. */
  public Future<HttpClientRequest> openUpload(StoreLoad node) {
    return client.request(options(HttpMethod.PUT, node.url() + "/internal/stores/" + node.storeId() + "/blobs"))
        .map(request -> request.setChunked(true));
  }

  /** The checksums the node answers once the upload's bytes are durable there. */
  public static Future<LocalBlobStore.Stored> storedBy(HttpClientRequest upload) {
    return upload.response().compose(r -> r.body().compose(body -> r.statusCode() == 201
        ? Future.succeededFuture(stored(body.toJsonObject()))
        : Future.failedFuture("storage node refused the upload: " + r.statusCode() + " " + body)));
  }

  /** Stores bytes already in memory (small blobs such as record segments) on the node. */
  public Future<LocalBlobStore.Stored> put(StoreLoad node, Buffer bytes) {
    return openUpload(node).compose(request -> request.end(bytes).compose(v -> storedBy(request)));
  }

  /** Starts reading bytes {@code [from, to)} of a blob from the node; the body is not yet read. */
  public Future<HttpClientResponse> read(StoreLoad node, String sha256, long from, long to) {
    return client.request(options(HttpMethod.GET, node.url() + "/internal/stores/" + node.storeId() + "/blobs/"
            + sha256 + "?from=" + from + "&to=" + to))
        .compose(HttpClientRequest::send)
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r)
            : r.body().compose(b -> Future.failedFuture("storage node " + node.storeId() + " answered "
                + r.statusCode() + ": " + b)));
  }

  public Future<Void> delete(StoreLoad node, String sha256) {
    return client.request(options(HttpMethod.DELETE, node.url() + "/internal/stores/" + node.storeId()
            + "/blobs/" + sha256))
        .compose(HttpClientRequest::send)
        .compose(r -> r.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture("delete answered " + r.statusCode()));
  }

  private RequestOptions options(HttpMethod method, String url) {
    return new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add(SECRET_HEADER, secret));
  }
}
