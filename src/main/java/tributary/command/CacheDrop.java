package tributary.command;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import tributary.cache.CacheKeys;
import tributary.cache.KeyScan;

/**
 * clear-cache (D9): drops this cluster's Redis keys of a scope. One key is deleted by name; "all"
 * walks the cluster's prefix ({@link KeyScan}, every master of a Redis Cluster) and unlinks each
 * page, so keys under another prefix are never touched. Readers fill what is gone from PostgreSQL.
 */
public final class CacheDrop {
  private final Redis redis;
  private final CacheKeys keys;
  private final KeyScan scan;

  public CacheDrop(Redis redis, CacheKeys keys, KeyScan scan) {
    this.redis = redis;
    this.keys = keys;
    this.scan = scan;
  }

  /** Drops the scope's keys; answers how many existed and were dropped. */
  public Future<Long> drop(NodeCommand.CacheScope scope) {
    String key = scope.key(keys);
    if (key != null) {
      return redis.send(Request.cmd(Command.DEL).arg(key)).map(Response::toLong);
    }
    long[] dropped = {0};
    return scan.forEachPage(keys.everything(), page -> {
      // One UNLINK per key: a page's keys share a server but not a slot, and a command naming keys
      // of several slots fails on a Redis Cluster (CROSSSLOT).
      List<Request> unlinks = page.stream().map(found -> Request.cmd(Command.UNLINK).arg(found)).toList();
      return redis.batch(unlinks).onSuccess(unlinked -> unlinked.forEach(n -> dropped[0] += n.toLong())).mapEmpty();
    }).map(v -> dropped[0]);
  }
}
