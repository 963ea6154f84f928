package tributary;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Codecs;
import tributary.config.NodeConfig;
import tributary.store.Migrator;

/** One running node: its Vert.x instance (clustered when asked) with the verticles of its roles. */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final NodeConfig config;

  private Node(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeConfig config() {
    return config;
  }

  /** Starts Vert.x, applies migrations and deploys the roles' verticles; config must have its URLs. */
  public static Future<Node> start(NodeConfig config) {
    return createVertx(config).compose(vertx -> {
      Codecs.registerAll(vertx.eventBus());
      return migrate(vertx, config)
          .compose(v -> deployRoles(vertx, config))
          .map(v -> new Node(vertx, config))
          .recover(e -> {
            // Not awaited: closing after a failed deployment can leave its future uncompleted.
            vertx.close();
            return Future.failedFuture(e);
          });
    });
  }

  public Future<Void> stop() {
    return vertx.close();
  }

  private static Future<Vertx> createVertx(NodeConfig config) {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Per-message event-bus meters were a visible share of an ingest profile; the pipeline's
        // own timers say more about each hop.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setRegistryName(config.nodeId())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    if (config.eventLoops() > 0) {
      options.setEventLoopPoolSize(config.eventLoops());
    }
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory());
    if (!config.cluster()) {
      return Future.succeededFuture(builder.build());
    }
    options.getEventBusOptions().setHost(config.clusterHost()).setPort(0);
    return builder.withClusterManager(new HazelcastClusterManager(hazelcast(config))).buildClustered();
  }

  /** cluster.xml from the class path, with the network settings of this node's configuration. */
  static Config hazelcast(NodeConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.local.localAddress", config.clusterHost());
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true);
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(config.clusterMulticast());
    join.getTcpIpConfig().setEnabled(!config.clusterMulticast()).setMembers(config.clusterMembers());
    return hz;
  }

  /** Migrations run over a connection of their own, before any verticle uses the schema. */
  private static Future<Void> migrate(Vertx vertx, NodeConfig config) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(config.pgUrlOrFail())).using(vertx).build();
    return Migrator.migrate(pool, config.pgSchema())
        .onSuccess(n -> LOG.info("schema ready [schema: {}, migrations applied now: {}]", config.pgSchema(), n))
        .eventually(pool::close)
        .mapEmpty();
  }

  private static Future<Void> deployRoles(Vertx vertx, NodeConfig config) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    Future<Void> chain = Future.succeededFuture();
    for (RoleVerticles.Deployment d : RoleVerticles.forRoles(config.roles())) {
      chain = chain.compose(v -> vertx.deployVerticle(d.factory(), options)
          .onSuccess(id -> LOG.debug("deployed [verticle: {}, node: {}]", d.name(), config.nodeId()))
          .recover(e -> Future.failedFuture(new IllegalStateException("cannot start " + d.name() + ": "
              + e.getMessage(), e)))
          .mapEmpty());
    }
    return chain;
  }
}
