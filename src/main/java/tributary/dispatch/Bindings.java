package tributary.dispatch;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import tributary.bus.Addresses;
import tributary.dispatch.DispatchMessages.UserBinding;
import tributary.fault.Refusal;

/** Asks management for a user's worker (D1), binding an unbound user to the least-loaded live worker. */
public final class Bindings {
  private Bindings() {}

  /** The user's worker, bound now if it was not; null when no worker is live. */
  public static Future<Integer> leastLoaded(EventBus bus, String userId) {
    return bus.<UserBinding>request(Addresses.DISPATCH_BIND, new UserBinding(userId, null))
        .map(reply -> reply.body().worker());
  }

  /** As {@link #leastLoaded}, refused with 503 when no worker is live. */
  public static Future<Integer> required(EventBus bus, String userId) {
    return leastLoaded(bus, userId).compose(worker -> worker != null ? Future.succeededFuture(worker)
        : Future.failedFuture(new Refusal(503, "unavailable", "no dispatch worker is live for user '" + userId + "'")));
  }
}
