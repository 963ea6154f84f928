package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/** Uploads and downloads blobs over the public API as a user would, streaming both ways. */
public final class BlobClient implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final String base;

  public BlobClient(int port) {
    this(port, new io.vertx.core.http.PoolOptions().getHttp1MaxSize());
  }

  /** A client holding up to {@code connections} connections, for that many concurrent requests. */
  public BlobClient(int port, int connections) {
    this.base = "http://127.0.0.1:" + port;
    this.client = vertx.createHttpClient(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(connections));
  }

  /** What came back: status, headers, and the body (kept when small) with its SHA-256. */
  public record Reply(int status, MultiMap headers, Buffer body, String sha256, long size) {
    public JsonObject json() {
      return body.toJsonObject();
    }
  }

  public Reply upload(String token, String query, byte[] bytes) {
    return upload(token, query, bytes, Map.of());
  }

  /** An upload with extra headers, such as the checksums the client claims. */
  public Reply upload(String token, String query, byte[] bytes, Map<String, String> headers) {
    return await(onContext(() -> request(HttpMethod.PUT, "/v1/blobs" + query, token, headers)
        .compose(r -> r.send(Buffer.buffer(bytes)))
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), r.headers(), b, null, b.length())))));
  }

  public Future<Reply> upload(String token, String query, ReadStream<Buffer> stream) {
    return upload(token, query, stream, Map.of());
  }

  /** A streamed upload with extra headers. */
  public Future<Reply> upload(String token, String query, ReadStream<Buffer> stream, Map<String, String> headers) {
    return onContext(() -> request(HttpMethod.PUT, "/v1/blobs" + query, token, headers)
        .compose(r -> r.setChunked(true).send(stream))
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), r.headers(), b, null, b.length()))));
  }

  /**
   * Starts an upload that declares {@code contentLength} bytes and sends none of them: the answer
   * must come from the headers alone (within {@code timeoutMs}); the connection is then closed (a
   * reset after the answer would leave it in the pool with the request half sent).
   */
  public Reply declareOnly(String token, String query, long contentLength, long timeoutMs) {
    return await(onContext(() -> request(HttpMethod.PUT, "/v1/blobs" + query, token,
        Map.of("Content-Length", String.valueOf(contentLength))).compose(r -> {
          r.sendHead();
          vertx.setTimer(timeoutMs, t -> r.reset(0, new java.util.concurrent.TimeoutException(
              "no answer within " + timeoutMs + " ms to the headers alone")));
          return r.response().compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b,
              null, b.length()))).onComplete(done -> r.connection().close());
        })));
  }

  /**
   * Runs a request chain on an event loop. Built from a test thread, a step could attach its body
   * handlers after the event loop had already delivered the first bytes of the body, losing them.
   */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> chain) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> chain.get().onComplete(result));
    return result.future();
  }

  public Reply get(String token, String path, Map<String, String> headers, boolean keep) {
    return await(download(token, path, headers, keep, null));
  }

  /** Streams a download into a digest; {@code atByte} runs once that much has arrived. */
  public Future<Reply> download(String token, String path, Map<String, String> headers, boolean keep,
                                Map.Entry<Long, Runnable> atByte) {
    return onContext(() -> request(HttpMethod.GET, path, token, headers).compose(HttpClientRequest::send).compose(r -> {
      MessageDigest sha = sha256();
      Buffer kept = Buffer.buffer();
      long[] size = {0};
      Runnable[] check = {atByte == null ? null : atByte.getValue()};
      io.vertx.core.Promise<Reply> done = io.vertx.core.Promise.promise();
      r.handler(b -> {
        sha.update(b.getBytes());
        size[0] += b.length();
        if (keep) {
          kept.appendBuffer(b);
        }
        if (check[0] != null && size[0] >= atByte.getKey()) {
          check[0].run();
          check[0] = null;
        }
      });
      r.exceptionHandler(done::tryFail);
      r.endHandler(v -> done.tryComplete(new Reply(r.statusCode(), r.headers(), kept,
          HexFormat.of().formatHex(sha.digest()), size[0])));
      return done.future();
    }));
  }

  public Reply send(HttpMethod method, String path, String token) {
    return await(onContext(() -> request(method, path, token, Map.of()).compose(HttpClientRequest::send)
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), r.headers(), b, null, b.length())))));
  }

  private Future<HttpClientRequest> request(HttpMethod method, String path, String token, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(base + path).setIdleTimeout(60_000);
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(options::addHeader);
    return client.request(options);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
