package tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The client's one way to the node's API: the JDK's HTTP/1.1 client with the bearer token on every
 * request; an answer other than 2xx becomes a {@link Refused} with the JSON error's message.
 */
final class NodeClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
  private final URI base;
  private final String token;

  NodeClient(ClientSettings settings) {
    this.base = settings.url();
    this.token = settings.tokenOrFail();
  }

  /** A request to a path of the API (path segments already encoded), with the token. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
  }

  /** One path segment, encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
    try {
      return http.send(request, body);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + base + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A JSON answer, or {@link Refused} with the node's message. */
  JsonNode json(HttpRequest request) throws IOException {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw Refused.of(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
    }
    return JSON.readTree(response.body());
  }

  /** Fails a streamed answer other than 2xx with the node's message (read from the stream). */
  static HttpResponse<InputStream> ok(HttpResponse<InputStream> response) throws IOException {
    if (response.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      }
      throw Refused.of(response.statusCode(), body, response.headers().firstValue("Retry-After"));
    }
    return response;
  }

  /** An answer the node refused: its status, the message of its JSON error, and Retry-After (seconds) if it sent one. */
  static final class Refused extends IOException {
    final int status;
    final Optional<Long> retryAfterSeconds;

    private Refused(int status, String message, Optional<Long> retryAfterSeconds) {
      super(message);
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    static Refused of(int status, String body, Optional<String> retryAfter) {
      String message;
      try {
        JsonNode error = JSON.readTree(body);
        message = error.hasNonNull("message") ? error.get("message").asText() : body;
      } catch (IOException | RuntimeException notJson) {
        message = body == null || body.isBlank() ? "(no message)" : body.strip();
      }
      Optional<Long> seconds = retryAfter.flatMap(v -> {
        try {
          return Optional.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      });
      return new Refused(status, "HTTP " + status + ": " + message, seconds);
    }

    /** 429 and 503 say "later"; everything else is final. */
    boolean retriable() {
      return status == 429 || status == 503;
    }
  }
}
