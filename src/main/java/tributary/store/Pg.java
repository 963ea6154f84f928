package tributary.store;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tributary.config.NodeConfig;

/** The node's PostgreSQL pool: one per node, shared by its verticles, confined to the schema. */
public final class Pg {
  private Pg() {}

  /** A comma-separated column list with each column qualified by {@code alias}, for joins. */
  static String qualified(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  public static Pool pool(Vertx vertx, NodeConfig config) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.pgUrlOrFail())
        .setProperties(Map.of("search_path", config.pgSchema(), "application_name", "tributary-" + config.nodeId()))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(64);
    // Both bounds keep a request from waiting long on a database that is gone: it answers 503.
    NetClientOptions net = new NetClientOptions().setConnectTimeout((int) config.pgConnectTimeoutMs());
    PoolOptions pool = new PoolOptions()
        .setMaxSize(config.pgPoolSize())
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout((int) config.pgConnectTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setShared(true)
        .setName("tributary-pg-" + config.nodeId());
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }
}
