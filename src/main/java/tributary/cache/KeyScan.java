package tributary.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tributary.config.NodeConfig;
import tributary.config.RedisMode;

/**
 * Walks the keys matching a pattern with SCAN (never KEYS, which blocks Redis). SCAN walks only the
 * server it is sent to, so on a Redis Cluster every master is walked through a client of its own,
 * found in CLUSTER SLOTS at the start of the walk.
 */
public final class KeyScan {
  private static final int PAGE = 500;
  private final Vertx vertx;
  private final Redis redis;
  private final NodeConfig config;

  private record Server(String host, int port) {}

  public KeyScan(Vertx vertx, Redis redis, NodeConfig config) {
    this.vertx = vertx;
    this.redis = redis;
    this.config = config;
  }

  /** Hands each page of matching keys to {@code page}, one page after another; a page's keys live on one server. */
  public Future<Void> forEachPage(String pattern, Function<List<String>, Future<Void>> page) {
    if (config.redisMode() != RedisMode.CLUSTER) {
      return scan(redis, pattern, "0", page);
    }
    return masters().compose(masters -> {
      Future<Void> walked = Future.succeededFuture();
      for (Server master : masters) {
        walked = walked.compose(v -> {
          Redis server = RedisClients.createForServer(vertx, config, master.host(), master.port());
          return scan(server, pattern, "0", page).eventually(server::close);
        });
      }
      return walked;
    });
  }

  /** Each master's host and port: the third element of every CLUSTER SLOTS range. */
  private Future<Set<Server>> masters() {
    return redis.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(ranges -> {
      Set<Server> masters = new LinkedHashSet<>();
      for (Response range : ranges) {
        Response master = range.get(2);
        masters.add(new Server(master.get(0).toString(), master.get(1).toInteger()));
      }
      return masters;
    });
  }

  private static Future<Void> scan(Redis server, String pattern, String cursor,
      Function<List<String>, Future<Void>> page) {
    return server.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(PAGE))
        .compose(found -> {
          List<String> keys = new ArrayList<>();
          found.get(1).forEach(key -> keys.add(key.toString()));
          String next = found.get(0).toString();
          Future<Void> handled = keys.isEmpty() ? Future.succeededFuture() : page.apply(keys);
          return handled.compose(v -> next.equals("0") ? Future.succeededFuture() : scan(server, pattern, next, page));
        });
  }
}
