package tributary.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A Redis client whose commands fail after a timeout instead of waiting on a Redis that does not
 * answer (frozen, partitioned), and fail at once while a {@link CommandBreaker} is open. Callers
 * treat Redis as a cache: a read that fails is served from PostgreSQL, an append that fails leaves
 * a gap that readers fill from PostgreSQL.
 */
final class TimedRedis implements Redis {
  private final Redis redis;
  private final long timeoutMs;
  private final CommandBreaker breaker;

  TimedRedis(Redis redis, long timeoutMs) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.breaker = new CommandBreaker(timeoutMs);
  }

  @Override
  public Future<RedisConnection> connect() {
    return redis.connect();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return timed(() -> redis.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return timed(() -> redis.batch(commands));
  }

  private <T> Future<T> timed(Supplier<Future<T>> command) {
    if (!breaker.allows(System.currentTimeMillis())) {
      return Future.failedFuture(new TimeoutException("Redis let a command time out within the last "
          + timeoutMs + " ms; not asked"));
    }
    Future<T> sent = command.get();
    // Any answer closes the breaker, even one that comes after its command timed out: a thawed
    // Redis replies to what it queued, and the writes right after it must not wait a cool-down.
    sent.onComplete(ar -> breaker.answered());
    return sent.timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(e -> {
      if (e instanceof TimeoutException) {
        breaker.timedOut(System.currentTimeMillis());
      }
    });
  }
}
