package tributary.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

/** Whether this node's PostgreSQL and Redis answer now; never fails, a server that does not answer is false. */
public final class ReadinessProbe {
  private final Pool pool;
  private final Redis redis;

  public record Checks(boolean postgres, boolean redis) {}

  public ReadinessProbe(Pool pool, Redis redis) {
    this.pool = pool;
    this.redis = redis;
  }

  public Future<Checks> check() {
    Future<Boolean> pg = pool.query("SELECT 1").execute().map(true).otherwise(false);
    Future<Boolean> cache = redis.send(Request.cmd(Command.PING)).map(true).otherwise(false);
    return Future.join(pg, cache).transform(ar -> Future.succeededFuture(new Checks(pg.result(), cache.result())));
  }
}
