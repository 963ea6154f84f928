package tributary.store;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tributary.config.NodeConfig;

/** The node's PostgreSQL pool: one per node, shared by its verticles, confined to the schema. */
public final class Pg {
  private Pg() {}

  /** A comma-separated column list with each column qualified by {@code alias}, for joins. */
  public static String qualified(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  public static Pool pool(Vertx vertx, NodeConfig config) {
    return pool(vertx, config, config.pgUrlOrFail(), Kind.SHARED, config.pgPoolSize(), Map.of());
  }

  /**
   * The pool for reads a replica may serve (X2: history and catch-up pages, see RecordStore): on
   * {@code pg-read-url}, shared by the node's verticles like the primary's; the node's pool
   * itself when there is no read URL. Its connections say "-read" in their application name.
   */
  public static Pool readPool(Vertx vertx, NodeConfig config) {
    return config.pgReadUrl().map(url -> pool(vertx, config, url, Kind.READ, config.pgPoolSize(), Map.of()))
        .orElseGet(() -> pool(vertx, config));
  }

  /**
   * A pool of the caller's own, not the node's shared one: the node agent's, which must outlive a
   * restart of the verticles that share the node's pool (D9).
   */
  public static Pool ownPool(Vertx vertx, NodeConfig config, int size) {
    return pool(vertx, config, config.pgUrlOrFail(), Kind.OWN, size, Map.of());
  }

  /**
   * Core's pool for record appends, apart from reads and background work so that these never
   * queue in front of an acknowledgement. Its statements use generic plans: the append statement
   * is planned once per connection instead of once per execution (planning it cost about as much
   * as running it), and it is written to need no value-specific plan (see RecordStore).
   */
  public static Pool appendPool(Vertx vertx, NodeConfig config, int size) {
    return pool(vertx, config, config.pgUrlOrFail(), Kind.OWN, size, Map.of("plan_cache_mode", "force_generic_plan"));
  }

  /** The node's shared pool, a caller's own, or the node's shared read pool. */
  private enum Kind {
    SHARED(""), OWN("-own"), READ("-read");

    final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }
  }

  private static Pool pool(Vertx vertx, NodeConfig config, String url, Kind kind, int size,
      Map<String, String> settings) {
    boolean shared = kind != Kind.OWN;
    Map<String, String> properties = new java.util.HashMap<>(settings);
    properties.put("search_path", config.pgSchema());
    properties.put("application_name", "tributary-" + config.nodeId() + (kind == Kind.READ ? kind.suffix : ""));
    PgConnectOptions connect = PgConnectOptions.fromUri(url)
        .setProperties(properties)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(64);
    // Both bounds keep a request from waiting long on a database that is gone: it answers 503.
    NetClientOptions net = new NetClientOptions().setConnectTimeout((int) config.pgConnectTimeoutMs());
    PoolOptions pool = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout((int) config.pgConnectTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setShared(shared)
        .setName("tributary-pg-" + config.nodeId() + kind.suffix);
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }

  /** One column of every row, as strings. */
  public static List<String> strings(RowSet<Row> rows, int column) {
    List<String> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(row.getString(column));
    }
    return out;
  }
}
