package tributary.http;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.fault.Refusal;
import tributary.store.DatabaseFailures;

/**
 * The one place that turns failures into HTTP answers: every error is
 * {@code {"error": code, "message": text}} with the matching status. Bus consumers fail messages
 * with HTTP-like codes ({@code message.fail(429, "...")}), which pass through unchanged. A database
 * that cannot be reached answers 503 with Retry-After, never 500.
 */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  /** Seconds a client is asked to wait after 429 or 503. */
  public static final int RETRY_AFTER_SECONDS = 1;
  /** Bus failure code: the request may or may not have taken effect (a commit not acknowledged in time). */
  public static final int OUTCOME_UNKNOWN = 504;

  private Failures() {}

  /**
   * Whether a request that failed with this may still have taken effect: anything but a refusal
   * by its recipient, or no recipient at all. A timeout cannot tell.
   */
  public static boolean mayHaveTakenEffect(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return true;
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> false;
      case RECIPIENT_FAILURE -> reply.failureCode() == OUTCOME_UNKNOWN;
      default -> true;
    };
  }

  /** Status and code for a failure; {@code routeStatus} is the status a handler set, or -1. */
  public static Refusal classify(Throwable failure, int routeStatus) {
    if (failure instanceof Refusal e) {
      return e;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() >= 400
          && reply.failureCode() < 600) {
        return new Refusal(reply.failureCode(), codeFor(reply.failureCode()), reply.getMessage());
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new Refusal(503, "unavailable", "no answer in time from the cluster; retry");
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new Refusal(503, "unavailable", "no node of the needed role is running");
      }
    }
    if (DatabaseFailures.unavailable(failure)) {
      return new Refusal(503, "unavailable", "the database cannot be reached; retry later");
    }
    if (DatabaseFailures.badValue(failure)) {
      return Refusal.badRequest("a value in the request cannot be stored or compared (a NUL byte, a number out of range?)");
    }
    if (routeStatus >= 400) {
      return new Refusal(routeStatus, codeFor(routeStatus), messageFor(routeStatus));
    }
    return new Refusal(500, "internal", "internal error");
  }

  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 431 -> "headers_too_large";
      case 503 -> "unavailable";
      case OUTCOME_UNKNOWN -> "outcome_unknown";
      default -> status >= 500 ? "internal" : "bad_request";
    };
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

  /** Fails a bus message with the status its failure maps to, so the caller answers as if it were local. */
  public static void fail(Message<?> message, Throwable failure) {
    Refusal error = classify(failure, -1);
    if (error.status() >= 500) {
      LOG.warn("bus request failed [address: {}]", message.address(), failure);
    }
    message.fail(error.status(), error.getMessage());
  }

  /** Router failure handler: writes the JSON error. */
  public static void handle(RoutingContext rc) {
    Refusal error = classify(rc.failure(), rc.statusCode());
    if (error.status() >= 500 && rc.failure() != null && !(rc.failure() instanceof Refusal)) {
      LOG.warn("request failed [request: {}, method: {}, path: {}]", rc.<String>get(RequestDeadline.HEADER),
          rc.request().method(), rc.normalizedPath(), rc.failure());
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    write(rc.response(), error);
  }

  public static void write(HttpServerResponse response, Refusal error) {
    if (error.status() == 429 || error.status() == 503) {
      response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error.code()).put("message", error.getMessage()).encode());
  }
}
