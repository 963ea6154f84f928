package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** A blocking HTTP client for tests against one node's base URL. */
public final class Http implements AutoCloseable {
  /** Longer than any answer may take: a long poll waits at most 30 s. */
  public static final long REQUEST_TIMEOUT_MS = 45_000;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public Http(int port) {
    this("http://127.0.0.1:" + port);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String token, String contentType, String body) {
    return await(sendAsync(method, path, token, contentType, body));
  }

  public io.vertx.core.Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, String token,
      String contentType, String body) {
    return sendAsync(method, path, token, contentType, body, java.util.Map.of());
  }

  public io.vertx.core.Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, String token,
      String contentType, String body, java.util.Map<String, String> headers) {
    return sendAsync(method, path, token, contentType, body == null ? null : Buffer.buffer(body), headers);
  }

  public io.vertx.core.Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, String token,
      String contentType, Buffer body, java.util.Map<String, String> headers) {
    // A route that never answers fails its test instead of hanging the suite.
    HttpRequest<Buffer> request = client.requestAbs(method, base + path).timeout(REQUEST_TIMEOUT_MS);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    headers.forEach(request::putHeader);
    return body == null ? request.send() : request.sendBuffer(body);
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, null);
  }

  /** A node metric from {@code /metrics}, summed over its labels; -1 when the node has none. */
  public double metric(String token, String name) {
    double[] samples = get("/metrics", token).bodyAsString().lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toArray();
    return samples.length == 0 ? -1 : java.util.Arrays.stream(samples).sum();
  }

  public HttpResponse<Buffer> postJson(String path, String token, String body) {
    return send(HttpMethod.POST, path, token, "application/json", body);
  }

  public HttpResponse<Buffer> putJson(String path, String token, String body) {
    return send(HttpMethod.PUT, path, token, "application/json", body);
  }

  /** Creates a user with the admin token and returns the new user's token. */
  public String createUser(String adminToken, String userId) {
    HttpResponse<Buffer> response = postJson("/v1/users", adminToken, new JsonObject().put("userId", userId).encode());
    if (response.statusCode() != 201) {
      throw new AssertionError("user creation failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("token");
  }

  /** Polls /ready until it answers 200 or the deadline passes. */
  public void awaitReady(long timeoutMs) {
    awaitCondition(() -> {
      try {
        return get("/ready", null).statusCode() == 200;
      } catch (AssertionError e) {
        return false;
      }
    }, timeoutMs, "node at " + base + " ready");
  }

  /** Checks conditions for every test of the JVM, off the callers' threads. */
  private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-condition-poller");
    t.setDaemon(true);
    return t;
  });

  /**
   * Waits until a condition holds, checked every 50 ms by a poller; fails the test with
   * {@code what} after the timeout. An exception thrown by the condition fails the wait at once.
   */
  public static void awaitCondition(BooleanSupplier condition, long timeoutMs, String what) {
    CompletableFuture<Void> holds = new CompletableFuture<>();
    ScheduledFuture<?> polling = POLLER.scheduleWithFixedDelay(() -> {
      try {
        if (condition.getAsBoolean()) {
          holds.complete(null);
        }
      } catch (Throwable e) {
        holds.completeExceptionally(e);
      }
    }, 0, 50, TimeUnit.MILLISECONDS);
    try {
      holds.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      polling.cancel(false);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
