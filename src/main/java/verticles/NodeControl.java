package verticles;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.ConfigApplied;
import tributary.config.ConfigLoader;
import tributary.config.ConfigReload;
import tributary.config.NodeConfig;
import tributary.node.NodeState;
import tributary.node.Metrics;

/**
 * What a node's agent may do to its own node (D9): redeploy the role verticles in place
 * ({@link #restart()}) and apply a configuration read again ({@link #reload(Map)}). It deploys the
 * roles at start and is kept in the node's local shared data, where the agent finds it with
 * {@link #of(Vertx)}.
 */
public final class NodeControl implements Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeControl.class);
  private static final String MAP = "tributary.node.control";
  private static final String KEY = "control";

  private final Vertx vertx;
  private final Map<String, String> flags;
  private final List<RoleVerticles.Deployment> deployments;
  /** Deployment id by deployment name. */
  private final Map<String, String> ids = new ConcurrentHashMap<>();
  private volatile NodeConfig config;
  private volatile boolean restarting;

  private NodeControl(Vertx vertx, NodeConfig config, Map<String, String> flags) {
    this.vertx = vertx;
    this.config = config;
    this.flags = Map.copyOf(flags);
    this.deployments = RoleVerticles.forRoles(config.roles());
  }

  /** Deploys the roles' verticles in order; {@code flags} are the options given on the command line. */
  public static Future<NodeControl> deploy(Vertx vertx, NodeConfig config, Map<String, String> flags) {
    NodeControl control = new NodeControl(vertx, config, flags);
    vertx.sharedData().<String, NodeControl>getLocalMap(MAP).put(KEY, control);
    return control.deployAll(control.deployments).map(control);
  }

  /** The node's control, or null on a Vert.x instance that is not a node's. */
  public static NodeControl of(Vertx vertx) {
    return vertx.sharedData().<String, NodeControl>getLocalMap(MAP).get(KEY);
  }

  /** The configuration the node runs with now (live options as last reloaded). */
  public NodeConfig config() {
    return config;
  }

  /**
   * Undeploys every role verticle but the agent, in {@link RoleVerticles#stopOrder} (each undeploy
   * waits for the verticle's stop, so work in flight is finished or handed back), then deploys
   * them again, in start order, with the current configuration. Answers what it did.
   */
  public Future<String> restart() {
    if (restarting) {
      return Future.failedFuture(new IllegalStateException("a restart is already under way"));
    }
    restarting = true;
    List<RoleVerticles.Deployment> starting = new ArrayList<>(RoleVerticles.stopOrder(deployments));
    java.util.Collections.reverse(starting);
    long began = System.currentTimeMillis();
    return stopInOrder().compose(v -> {
      Metrics.dropOwn(config);
      return deployAll(starting);
    })
        .map(v -> "restarted " + starting.size() + " verticles (" + String.join(", ",
            starting.stream().map(RoleVerticles.Deployment::name).toList()) + ") in "
            + (System.currentTimeMillis() - began) + " ms")
        .onComplete(ar -> restarting = false);
  }

  /**
   * The start of a shutdown: {@code /ready} turns 503 at once and, after {@code drain-delay-ms}, every
   * role verticle but the agent
   * stops in {@link RoleVerticles#stopOrder}, the HTTP face first, so requests in flight finish
   * while the consumers behind them still run. The agent, and with it the node's registration,
   * goes with the Vert.x instance.
   */
  public Future<Void> drain() {
    NodeState.startStopping(vertx);
    return (config.drainDelayMs() > 0 ? vertx.timer(config.drainDelayMs()).<Void>mapEmpty()
        : Future.<Void>succeededFuture()).compose(v -> stopInOrder());
  }

  /** Undeploys every role verticle but the agent, one after another, each waiting for its stop. */
  private Future<Void> stopInOrder() {
    Future<Void> stopped = Future.succeededFuture();
    for (RoleVerticles.Deployment d : RoleVerticles.stopOrder(deployments)) {
      stopped = stopped.compose(v -> {
        String id = ids.remove(d.name());
        publishDeployedRoles();
        return id == null ? Future.succeededFuture() : vertx.undeploy(id)
            .onSuccess(x -> LOG.debug("undeployed [verticle: {}, node: {}]", d.name(), config.nodeId()));
      });
    }
    return stopped;
  }

  /** Tells {@code /ready} which roles have all their verticles deployed now. */
  private void publishDeployedRoles() {
    java.util.EnumSet<tributary.config.Role> deployed = java.util.EnumSet.noneOf(tributary.config.Role.class);
    for (tributary.config.Role role : config.roles()) {
      if (deployments.stream().filter(d -> d.roles().contains(role)).allMatch(d -> ids.containsKey(d.name()))) {
        deployed.add(role);
      }
    }
    NodeState.setDeployedRoles(vertx, deployed);
  }

  /**
   * Reads the config file and the environment again and applies the live options that changed:
   * the node's verticles are told on {@link Addresses#nodeConfig}, and a later restart deploys
   * with them. Throws {@link tributary.config.ConfigException} when what was read is invalid.
   */
  public ConfigReload reload(Map<String, String> env) {
    ConfigReload reload = ConfigReload.between(config, ConfigLoader.reread(config, flags, env));
    if (!reload.live().isEmpty()) {
      config = reload.applied();
      vertx.eventBus().publish(Addresses.nodeConfig(config.nodeId()), new ConfigApplied(config.settings()),
          new DeliveryOptions().setLocalOnly(true));
    }
    return reload;
  }

  /**
   * Calls {@code apply} with the node's configuration each time reload-config changes live
   * options; call it from a verticle's start (the consumer ends with the verticle).
   */
  public static void onReload(Vertx vertx, String nodeId, java.util.function.Consumer<NodeConfig> apply) {
    vertx.eventBus().<ConfigApplied>localConsumer(Addresses.nodeConfig(nodeId), m -> apply.accept(m.body().config()));
  }

  private Future<Void> deployAll(List<RoleVerticles.Deployment> list) {
    Future<Void> chain = Future.succeededFuture();
    for (RoleVerticles.Deployment d : list) {
      chain = chain.compose(v -> vertx.deployVerticle(d.factory(), new DeploymentOptions().setConfig(config.toJson())
          .setInstances(d.instances().applyAsInt(config)))
          .onSuccess(id -> {
            ids.put(d.name(), id);
            publishDeployedRoles();
            LOG.debug("deployed [verticle: {}, node: {}]", d.name(), config.nodeId());
          })
          .recover(e -> Future.failedFuture(new IllegalStateException("cannot start " + d.name() + ": "
              + e.getMessage(), e)))
          .mapEmpty());
    }
    return chain;
  }
}
