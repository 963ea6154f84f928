package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Map;
import java.util.function.Supplier;
import tributary.config.NodeConfig;
import tributary.bus.Registered;
import tributary.node.NodeState;
import tributary.node.Readiness;
import tributary.store.ReadinessProbe;

/**
 * What operators and load balancers ask, without a token: {@code /health} (the process answers),
 * {@code /ready} (PostgreSQL, Redis, the cluster and this node's registration all answer; else 503)
 * and {@code /metrics} (Prometheus).
 */
public final class OpsApi implements HttpEndpoint {
  private final Vertx vertx;
  private final ReadinessProbe probe;
  private final Supplier<NodeConfig> config;

  public OpsApi(Vertx vertx, ReadinessProbe probe, Supplier<NodeConfig> config) {
    this.vertx = vertx;
    this.probe = probe;
    this.config = config;
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(config.get().nodeId()));
  }

  /** The process answers; once registered, with the number and address management gave it (E1). */
  private void health(RoutingContext rc) {
    JsonObject answer = new JsonObject().put("status", "up").put("node", config.get().nodeId());
    Registered registered = NodeState.registered(vertx);
    if (registered != null) {
      answer.put("nodeNumber", registered.nodeNumber()).put("address", registered.address())
          .put("addressSource", registered.addressSource());
    }
    json(rc, 200, answer);
  }

  /** 200 when every role of the node is ready (see {@link Readiness}); 503 naming what is not, and while stopping. */
  private void ready(RoutingContext rc) {
    NodeConfig node = config.get();
    boolean cluster = !node.cluster() || vertx.isClustered();
    boolean registered = NodeState.grant(vertx) != null;
    Guarded.then(rc, probe.check(), checks -> {
      Readiness readiness = Readiness.of(node.roles(), NodeState.deployedRoles(vertx),
          new Readiness.Probe(checks.postgres(), checks.redis(), cluster, registered), NodeState.stopping(vertx));
      json(rc, readiness.ready() ? 200 : 503, new JsonObject()
          .put("status", readiness.ready() ? "ready" : readiness.stopping() ? "stopping" : "not_ready")
          .put("node", node.nodeId())
          .put("roles", new JsonObject(new java.util.TreeMap<>(readiness.roles())))
          .put("checks", new JsonObject(Map.of("postgres", checks.postgres(), "redis", checks.redis(),
              "cluster", cluster, "registered", registered))));
    });
  }
}
