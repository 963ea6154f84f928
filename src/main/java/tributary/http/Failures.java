package tributary.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.fault.BusFailures;
import tributary.fault.DatabaseFailures;
import tributary.fault.JsonError;
import tributary.fault.Refusal;

/**
 * The one place that turns failures into HTTP answers: every error is
 * {@code {"error": code, "message": text}} with the matching status. What a failure means
 * (a refusal, a bus consumer's HTTP-like code, an unreachable database) is read by the one
 * mapper, {@link BusFailures#refusalOf}; a database that cannot be reached answers 503 with
 * Retry-After, never 500.
 */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** Status and code for a failure; {@code routeStatus} is the status a handler set, or -1. */
  public static Refusal classify(Throwable failure, int routeStatus) {
    Refusal known = BusFailures.refusalOf(failure);
    if (known != null) {
      return known;
    }
    if (DatabaseFailures.badValue(failure)) {
      return Refusal.badRequest("a value in the request cannot be stored or compared (a NUL byte, a number out of range?)");
    }
    if (routeStatus >= 400) {
      return Refusal.of(routeStatus, messageFor(routeStatus));
    }
    return BusFailures.classify(failure);
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 400 -> "malformed request: check the URL's percent-encoding and the parameters";
      case 404 -> "no such resource";
      case 405 -> "method not allowed here";
      case 413 -> "request body exceeds the size limit";
      case 431 -> "request headers exceed the size limit";
      default -> "request failed";
    };
  }

  /** Router failure handler: writes the JSON error. */
  public static void handle(RoutingContext rc) {
    Refusal error = classify(rc.failure(), rc.statusCode());
    if (error.status() >= 500 && rc.failure() != null && !(rc.failure() instanceof Refusal)) {
      LOG.warn("request failed [request: {}, method: {}, path: {}]", RequestDeadline.idOf(rc),
          rc.request().method(), rc.normalizedPath(), rc.failure());
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    write(rc.response(), error);
  }

  /** The JSON error answer ({@link JsonError}, shared with the storage transfer server). */
  public static void write(HttpServerResponse response, Refusal error) {
    JsonError.write(response, error);
  }
}
