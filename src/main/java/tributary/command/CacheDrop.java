package tributary.command;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import tributary.cache.CacheKeys;

/**
 * clear-cache (D9): drops this cluster's Redis keys of a scope. One key is deleted by name; "all"
 * walks the cluster's prefix with SCAN (never KEYS, which blocks Redis) and unlinks each page, so
 * keys under another prefix are never touched. Readers fill what is gone from PostgreSQL.
 */
public final class CacheDrop {
  private static final int PAGE = 500;
  private final Redis redis;
  private final CacheKeys keys;

  public CacheDrop(Redis redis, CacheKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Drops the scope's keys; answers how many existed and were dropped. */
  public Future<Long> drop(NodeCommand.CacheScope scope) {
    String key = scope.key(keys);
    if (key != null) {
      return redis.send(Request.cmd(Command.DEL).arg(key)).map(Response::toLong);
    }
    return dropMatching(keys.everything(), "0", 0);
  }

  private Future<Long> dropMatching(String pattern, String cursor, long dropped) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(PAGE))
        .compose(page -> {
          String next = page.get(0).toString();
          Response found = page.get(1);
          Future<Long> unlinked = Future.succeededFuture(0L);
          if (found.size() > 0) {
            Request unlink = Request.cmd(Command.UNLINK);
            found.forEach(k -> unlink.arg(k.toString()));
            unlinked = redis.send(unlink).map(Response::toLong);
          }
          return unlinked.compose(n -> next.equals("0") ? Future.succeededFuture(dropped + n)
              : dropMatching(pattern, next, dropped + n));
        });
  }
}
