package tributary.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one writer of successful JSON answers; errors go through {@link Failures}. */
public final class Replies {
  private Replies() {}

  public static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
