package tributary.fault;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one JSON error writer, for the API and the storage transfer server alike:
 * {@code {"error": code, "message": text}} with the refusal's status, and Retry-After on 429 and 503.
 */
public final class JsonError {
  /** Seconds a client is asked to wait after 429 or 503. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private JsonError() {}

  public static void write(HttpServerResponse response, Refusal error) {
    if (error.status() == 429 || error.status() == 503) {
      response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error.code()).put("message", error.getMessage()).encode());
  }
}
