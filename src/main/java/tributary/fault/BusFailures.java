package tributary.fault;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that reads a failure as a refusal, local or from another node, and the one helper
 * that fails a bus message with it. A consumer fails a message with the refusal's HTTP-like status
 * (Hono's habit: {@code message.fail(404, ...)}); the caller gets a {@link ReplyException} whose
 * {@code failureCode()} is that status, and {@link #classify} turns it back into the same refusal.
 */
public final class BusFailures {
  private static final Logger LOG = LoggerFactory.getLogger(BusFailures.class);
  /** Bus failure code: the request may or may not have taken effect (a commit not acknowledged in time). */
  public static final int OUTCOME_UNKNOWN = 504;

  private BusFailures() {}

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

  /** Whether no answer came in time: the request may or may not have been taken. */
  public static boolean timedOut(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  /** Whether no node had a consumer for the request: nobody took it, so sending it again cannot do it twice. */
  public static boolean noConsumer(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** The status the recipient failed the request with, or -1 when no recipient refused it (a timeout, no handler, a local error). */
  public static int recipientStatus(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        ? reply.failureCode() : -1;
  }

  /**
   * The refusal a failure stands for: a {@link Refusal} as it is; a recipient's failure with its
   * status; no answer in time, no node of the role or an unreachable database as 503; null for
   * anything else (an internal error, unless the caller knows better).
   */
  public static Refusal refusalOf(Throwable failure) {
    if (failure instanceof Refusal e) {
      return e;
    }
    int status = recipientStatus(failure);
    if (status >= 400 && status < 600) {
      return Refusal.of(status, failure.getMessage());
    }
    if (timedOut(failure)) {
      return new Refusal(503, "unavailable", "no answer in time from the cluster; retry");
    }
    if (noConsumer(failure)) {
      return new Refusal(503, "unavailable", "no node of the needed role is running");
    }
    if (DatabaseFailures.unavailable(failure)) {
      return new Refusal(503, "unavailable", "the database cannot be reached; retry later");
    }
    return null;
  }

  /** {@link #refusalOf}, with anything it does not know as 500. */
  public static Refusal classify(Throwable failure) {
    Refusal refusal = refusalOf(failure);
    return refusal != null ? refusal : new Refusal(500, "internal", "internal error");
  }

  /** Fails a bus message with the status its failure maps to, so the caller answers as if it were local. */
  public static void fail(Message<?> message, Throwable failure) {
    Refusal error = classify(failure);
    if (error.status() >= 500 && !(failure instanceof Refusal)) {
      LOG.warn("bus request failed [address: {}]", message.address(), failure);
    }
    message.fail(error.status(), error.getMessage());
  }
}
