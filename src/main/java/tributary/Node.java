package tributary;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SocketInterceptorConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cluster.AuthenticatedNodeContext;
import tributary.cluster.ClusterCredentials;
import tributary.cluster.MemberHandshake;
import tributary.config.NodeConfig;
import tributary.store.ClusterSecrets;
import tributary.store.SchemaMigrations;
import verticles.NodeControl;

/** One running node: its Vert.x instance (clustered when asked) with the verticles of its roles. */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** How long, beyond the drain delay and grace, a stop waits for the role verticles to stop. */
  private static final long DRAIN_BOUND_MS = 10_000;

  private final Vertx vertx;
  private final NodeConfig config;
  private Future<Void> stopped;

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
    return start(config, Map.of());
  }

  /**
   * As {@link #start(NodeConfig)}; {@code flags} are the options given on the command line, which
   * still win when reload-config reads the file and the environment again (D9).
   */
  public static Future<Node> start(NodeConfig config, Map<String, String> flags) {
    // Migrations and credentials come before the node's own Vert.x, on one of their own; the
    // node is then made on a plain thread, as Hazelcast's start blocks and Vert.x warns when a
    // Vert.x is made from within another.
    Vertx bootstrap = Vertx.vertx();
    Promise<Node> started = Promise.promise();
    prepare(bootstrap, config).onComplete(prepared -> {
      bootstrap.close();
      if (prepared.failed()) {
        started.fail(prepared.cause());
        return;
      }
      new Thread(() -> createVertx(config, prepared.result()).compose(vertx -> {
        if (vertx.isNativeTransportEnabled()) {
          LOG.info("network transport: epoll [node: {}]", config.nodeId());
        } else {
          LOG.info("network transport: NIO [node: {}, native transport unavailable: {}]", config.nodeId(),
              String.valueOf(vertx.unavailableNativeTransportCause()));
        }
        Codecs.registerAll(vertx.eventBus());
        return NodeControl.deploy(vertx, config, flags)
            .map(v -> new Node(vertx, config))
            .recover(e -> {
              // Not awaited: closing after a failed deployment can leave its future uncompleted.
              vertx.close();
              return Future.failedFuture(e);
            });
      }).onComplete(ar -> {
        if (ar.succeeded()) {
          started.complete(ar.result());
        } else {
          started.fail(ar.cause());
        }
      }), "tributary-start").start();
    });
    return started.future();
  }

  /**
   * Stops the node: it drains first (not ready, the HTTP face stops taking requests and finishes
   * those in flight, then the role verticles stop in order), within a bound, then closes.
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    NodeControl control = NodeControl.of(vertx);
    Future<Void> drained = control == null ? Future.succeededFuture() : control.drain();
    // Not composed: a future bound to the node's event loop could not complete once Vert.x is closed.
    Promise<Void> closed = Promise.promise();
    long begun = System.nanoTime();
    drained.timeout(config.drainDelayMs() + config.shutdownGraceMs() + DRAIN_BOUND_MS,
            java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("node did not drain in time; closing [node: {}, cause: {}]", config.nodeId(),
                ar.cause().getMessage());
          }
          long drainedAt = System.nanoTime();
          vertx.close().onComplete(done -> {
            // Both spans, so a slow stop says whether requests or the cluster leave held it.
            LOG.info("node stopped [node: {}, drain: {} ms, close: {} ms]", config.nodeId(),
                (drainedAt - begun) / 1_000_000, (System.nanoTime() - drainedAt) / 1_000_000);
            closed.handle(done);
          });
        });
    stopped = closed.future();
    return stopped;
  }

  /**
   * Before the node's own Vert.x exists: applies migrations and, for a cluster member, reads the
   * cluster's credentials (made at the first start), which it needs to join.
   */
  private static Future<ClusterCredentials> prepare(Vertx bootstrap, NodeConfig config) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(config.pgUrlOrFail()).setProperties(Map.of("search_path",
            config.pgSchema()))).using(bootstrap).build();
    return bootstrap.executeBlocking(() -> SchemaMigrations.migrate(config))
        .onSuccess(n -> LOG.info("schema ready [schema: {}, migrations applied now: {}]", config.pgSchema(), n))
        .compose(n -> warnWithoutAutovacuum(pool))
        .compose(n -> config.cluster() ? ClusterSecrets.credentials(pool) : Future.<ClusterCredentials>succeededFuture())
        .eventually(pool::close);
  }

  /**
   * Says so when PostgreSQL runs without autovacuum: nothing then analyzes the tables, and the plans
   * a connection cached while they were nearly empty stay (with 200,000 blobs, the media probe's
   * statement was running 15 % of the time in a benchmark, and took 0.3 ms once analyzed).
   */
  private static Future<Void> warnWithoutAutovacuum(Pool pool) {
    return pool.query("SHOW autovacuum").execute()
        .<Void>map(rows -> {
          if ("off".equals(rows.iterator().next().getString(0))) {
            LOG.warn("PostgreSQL runs with autovacuum off: tables are never analyzed, and the node's prepared "
                + "statements keep plans made while the tables were small; turn autovacuum on, or ANALYZE "
                + "the schema's tables as they grow");
          }
          return null;
        })
        .recover(e -> Future.succeededFuture());
  }

  /** The node's Vert.x options: its meters, its event loops, and the native transport where there is one. */
  static VertxOptions vertxOptions(NodeConfig config) {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Per-message event-bus meters were a visible share of an ingest profile; the pipeline's
        // own timers say more about each hop.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setRegistryName(config.nodeId())
        // Requests by route template (bounded), method and status: vertx_http_server_requests_total.
        .addLabels(io.vertx.micrometer.Label.HTTP_ROUTE, io.vertx.micrometer.Label.HTTP_METHOD,
            io.vertx.micrometer.Label.HTTP_CODE)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))
        // epoll where Netty's native library loads (Linux), else NIO; Node logs which one runs
        .setPreferNativeTransport(true);
    if (config.eventLoops() > 0) {
      options.setEventLoopPoolSize(config.eventLoops());
    }
    return options;
  }

  /** The node's Vert.x; clustered, it blocks while Hazelcast joins. */
  private static Future<Vertx> createVertx(NodeConfig config, ClusterCredentials credentials) {
    VertxOptions options = vertxOptions(config);
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory());
    if (!config.cluster()) {
      return Future.succeededFuture(builder.build());
    }
    // X3: the bus between nodes is mutual TLS with the cluster's certificate; nothing else is trusted.
    options.getEventBusOptions().setHost(config.clusterHost())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(credentials.keyPem()))
            .setCertValue(Buffer.buffer(credentials.certPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(credentials.certPem())));
    HazelcastInstance hazelcast;
    try {
      Config hz = hazelcast(config);
      // What Vert.x sets itself when it makes the instance: its node id, as a member attribute.
      hz.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
      hazelcast = HazelcastInstanceFactory.newHazelcastInstance(hz, null,
          new AuthenticatedNodeContext(new MemberHandshake(credentials.secret(), memberAddresses(config))));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    options.getEventBusOptions().setPort(busPort(config, hazelcast.getCluster().getLocalMember().getAddress().getPort()));
    return builder.withClusterManager(new OwningClusterManager(hazelcast)).buildClustered()
        .onFailure(e -> hazelcast.shutdown());
  }

  /**
   * Vert.x leaves a Hazelcast instance it was given running when it leaves the cluster; this one
   * was made for the node alone, so leaving ends it (off the event loop: it blocks).
   */
  private static final class OwningClusterManager extends HazelcastClusterManager {
    private final HazelcastInstance hazelcast;

    OwningClusterManager(HazelcastInstance hazelcast) {
      super(hazelcast);
      this.hazelcast = hazelcast;
    }

    @Override
    public void leave(Completable<Void> promise) {
      super.leave((v, failure) -> new Thread(() -> {
        hazelcast.shutdown();
        promise.complete(v, failure);
      }, "hazelcast-shutdown").start());
    }
  }

  /** The event bus's port: as configured, or beside the Hazelcast port the node got, so a firewall can name it. */
  static int busPort(NodeConfig config, int hazelcastPort) {
    return config.clusterBusPort() == NodeConfig.AUTO_PORT ? hazelcastPort + 1000 : config.clusterBusPort();
  }

  /**
   * The addresses of the member list, the only peers that may connect; empty (any address, the
   * cluster secret still checked) with multicast or Kubernetes discovery, whose members come and go.
   */
  static Set<InetAddress> memberAddresses(NodeConfig config) {
    if (config.clusterMulticast() || config.clusterKubernetesDns().isPresent()) {
      return Set.of();
    }
    Set<InetAddress> out = new HashSet<>();
    try {
      out.add(InetAddress.getByName(config.clusterHost()));
      for (String member : config.clusterMembers()) {
        String host = member.contains(":") ? member.substring(0, member.lastIndexOf(':')) : member;
        out.addAll(List.of(InetAddress.getAllByName(host)));
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot resolve a cluster member: " + e.getMessage(), e);
    }
    return out;
  }

  /** cluster.xml from the class path, with the network settings of this node's configuration. */
  static Config hazelcast(NodeConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.local.localAddress", config.clusterHost());
    // Listen on the configured interface only, not on every one (X3).
    hz.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(config.clusterHost()));
    network.setSocketInterceptorConfig(new SocketInterceptorConfig().setEnabled(true));
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(config.clusterMulticast());
    boolean kubernetes = config.clusterKubernetesDns().isPresent();
    join.getTcpIpConfig().setEnabled(!config.clusterMulticast() && !kubernetes).setMembers(config.clusterMembers());
    // Kubernetes: the members are the addresses behind the nodes' headless service, found by DNS.
    join.getKubernetesConfig().setEnabled(kubernetes);
    config.clusterKubernetesDns().ifPresent(dns -> join.getKubernetesConfig().setProperty("service-dns", dns));
    return hz;
  }
}
