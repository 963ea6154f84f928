package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When enough of several writes are durable (X5): an upload goes to all its copy nodes at once and
 * is acknowledged once {@code needed} of them hold it; the others follow, each to be recorded when
 * it lands or handed to a mirror task when it fails.
 */
public final class Quorum {
  private Quorum() {}

  /** The writes that reached the quorum, and the others, still running or failed, to follow up. */
  public record Reached<K, V>(Map<K, V> durable, Map<K, Future<V>> following) {}

  /**
   * Completes once {@code needed} of the outcomes succeeded; fails with the first failure once
   * too many failed for that.
   */
  public static <K, V> Future<Reached<K, V>> of(Map<K, Future<V>> outcomes, int needed) {
    Promise<Reached<K, V>> reached = Promise.promise();
    Map<K, V> durable = new LinkedHashMap<>();
    int[] failed = {0};
    int spare = outcomes.size() - needed;
    if (spare < 0) {
      return Future.failedFuture("only " + outcomes.size() + " writes for a quorum of " + needed);
    }
    outcomes.forEach((key, outcome) -> outcome.onComplete(ar -> {
      if (reached.future().isComplete()) {
        return;
      }
      if (ar.succeeded()) {
        durable.put(key, ar.result());
        if (durable.size() == needed) {
          Map<K, Future<V>> following = new LinkedHashMap<>(outcomes);
          following.keySet().removeAll(durable.keySet());
          reached.complete(new Reached<>(Map.copyOf(durable), following));
        }
      } else if (++failed[0] > spare) {
        reached.fail(ar.cause());
      }
    }));
    return reached.future();
  }
}
