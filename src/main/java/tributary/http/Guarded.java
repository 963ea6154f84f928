package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Continues a request after an asynchronous step so that it is always answered: a failed step
 * fails the request, and a throw in the continuation (a bad parameter read late, a body that does
 * not build) fails the request too, instead of escaping into the event loop with no answer.
 */
public final class Guarded {
  private Guarded() {}

  /** Runs {@code next} with the step's result; the step's failure, or a throw in {@code next}, fails the request. */
  public static <T> void then(RoutingContext rc, Future<T> step, Handler<T> next) {
    step.onSuccess(handler(rc, next)).onFailure(rc::fail);
  }

  /** {@code next}, with a throw turned into {@code rc.fail(e)}. */
  public static <T> Handler<T> handler(RoutingContext rc, Handler<T> next) {
    return value -> {
      try {
        next.handle(value);
      } catch (RuntimeException e) {
        rc.fail(e);
      }
    };
  }

  /** {@code next}, with a throw turned into {@code rc.fail(e)}. */
  public static Runnable runnable(RoutingContext rc, Runnable next) {
    return () -> {
      try {
        next.run();
      } catch (RuntimeException e) {
        rc.fail(e);
      }
    };
  }
}
