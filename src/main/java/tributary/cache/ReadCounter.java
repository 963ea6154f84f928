package tributary.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts this node's reads per channel and hands them to Redis now and then, where the cleaner
 * turns them into read rates (Q5). Confined to one event loop.
 */
public final class ReadCounter {
  private final Redis redis;
  private final CacheKeys keys;
  private Map<String, Long> counts = new HashMap<>();

  public ReadCounter(Redis redis, CacheKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public void count(String channel) {
    counts.merge(channel, 1L, Long::sum);
  }

  /** Adds reads counted elsewhere, such as those of open live streams ({@link LiveReads}). */
  public void countAll(Map<String, Long> reads) {
    reads.forEach((channel, n) -> counts.merge(channel, n, Long::sum));
  }

  /** Adds the counts gathered so far to the cluster's and starts afresh; lost if Redis is down. */
  public Future<Void> flush(long now) {
    if (counts.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, Long> taken = counts;
    counts = new HashMap<>();
    List<Request> batch = new ArrayList<>();
    taken.forEach((channel, n) -> {
      batch.add(Request.cmd(Command.HINCRBY).arg(keys.readCounts()).arg(channel).arg(n));
      batch.add(Request.cmd(Command.HSET).arg(keys.lastReads()).arg(channel).arg(now));
    });
    return redis.batch(batch).mapEmpty();
  }
}
