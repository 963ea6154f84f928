package tributary.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.util.Map;
import tributary.config.NodeConfig;

/** The node's PostgreSQL pool: one per node, shared by its verticles, confined to the schema. */
public final class Pg {
  private Pg() {}

  /** A comma-separated column list with each column qualified by {@code alias}, for joins. */
  static String qualified(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  /**
   * Whether a failed statement may still have been committed: not when the server answered it
   * with an error (it was rolled back) or when no connection could be made; otherwise (connection
   * lost, timeout) nobody here can tell.
   */
  public static boolean mayHaveCommitted(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException || t instanceof ConnectException) {
        return false;
      }
    }
    return true;
  }

  public static Pool pool(Vertx vertx, NodeConfig config) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.pgUrlOrFail())
        .setProperties(Map.of("search_path", config.pgSchema(), "application_name", "tributary-" + config.nodeId()))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(64);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(config.pgPoolSize())
        .setMaxWaitQueueSize(10_000)
        .setShared(true)
        .setName("tributary-pg-" + config.nodeId());
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
