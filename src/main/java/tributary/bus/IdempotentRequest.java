package tributary.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import tributary.fault.BusFailures;

/**
 * A request that may be asked again: when it times out or finds no consumer, it is sent once more,
 * which the bus's round robin gives to another consumer. For reads served by several nodes (the
 * node list of management), so a consumer on a node that just died costs a short wait, not the
 * default 30 s, until the cluster forgets it.
 */
public final class IdempotentRequest {
  /** Time one attempt waits for its answer. */
  public static final long ATTEMPT_TIMEOUT_MS = 3_000;
  private static final int ATTEMPTS = 3;
  private static final DeliveryOptions ATTEMPT = new DeliveryOptions().setSendTimeout(ATTEMPT_TIMEOUT_MS);

  private IdempotentRequest() {}

  public static <T> Future<Message<T>> send(EventBus bus, String address, Object body) {
    return send(bus, address, body, ATTEMPTS);
  }

  private static <T> Future<Message<T>> send(EventBus bus, String address, Object body, int attemptsLeft) {
    return bus.<T>request(address, body, ATTEMPT)
        .recover(e -> attemptsLeft > 1 && askAgain(e) ? send(bus, address, body, attemptsLeft - 1)
            : Future.failedFuture(e));
  }

  /** Whether no consumer answered, as opposed to one that answered with a failure of its own. */
  static boolean askAgain(Throwable failure) {
    return BusFailures.timedOut(failure) || BusFailures.noConsumer(failure);
  }
}
