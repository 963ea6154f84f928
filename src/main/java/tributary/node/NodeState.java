package tributary.node;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import tributary.bus.EdgeGrant;
import tributary.bus.Registered;

/**
 * What verticles of one node share: the grant management gave this node at registration (E1), and
 * the figures its verticles publish for the node's status report (D8), such as queue backlogs.
 */
public final class NodeState {
  private static final String MAP = "tributary.node";
  private static final String GRANT = "grant";
  private static final String REGISTERED = "tributary.node.registered";
  private static final String GAUGES = "tributary.node.gauges";

  private NodeState() {}

  private static LocalMap<String, EdgeGrant> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** Keeps {@code grant} unless the node already holds a newer revision. */
  public static void setGrant(Vertx vertx, EdgeGrant grant) {
    map(vertx).merge(GRANT, grant, (held, offered) -> held.revision() > offered.revision() ? held : offered);
  }

  /**
   * Drops the grant: management refused this process the node id (another running process holds
   * it), so it must not act as that node until it is registered again.
   */
  public static void dropGrant(Vertx vertx) {
    map(vertx).remove(GRANT);
  }

  /** The current grant, or null before the first successful registration; read on every ingest. */
  public static EdgeGrant grant(Vertx vertx) {
    return map(vertx).get(GRANT);
  }

  /** Keeps management's latest answer to this node's registration: its number and address (E1). */
  public static void setRegistered(Vertx vertx, Registered registered) {
    vertx.sharedData().<String, Registered>getLocalMap(REGISTERED).put(REGISTERED, registered);
  }

  /** Management's latest answer to this node's registration, or null before the first. */
  public static Registered registered(Vertx vertx) {
    return vertx.sharedData().<String, Registered>getLocalMap(REGISTERED).get(REGISTERED);
  }

  private static final String LIFECYCLE = "tributary.node.lifecycle";
  private static final String STOPPING = "stopping";

  /** Which of the node's roles have every verticle deployed now (see {@code /ready}). */
  public static void setDeployedRoles(Vertx vertx, java.util.Set<tributary.config.Role> roles) {
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(LIFECYCLE);
    map.put("roles", String.join(",", roles.stream().map(tributary.config.Role::id).toList()));
  }

  public static java.util.Set<tributary.config.Role> deployedRoles(Vertx vertx) {
    String roles = vertx.sharedData().<String, String>getLocalMap(LIFECYCLE).get("roles");
    java.util.EnumSet<tributary.config.Role> out = java.util.EnumSet.noneOf(tributary.config.Role.class);
    if (roles != null && !roles.isEmpty()) {
      for (String id : roles.split(",")) {
        out.add(tributary.config.Role.parse(id));
      }
    }
    return out;
  }

  /** Marks the start of the node's shutdown: from now on it is not ready. */
  public static void startStopping(Vertx vertx) {
    vertx.sharedData().<String, String>getLocalMap(LIFECYCLE).put(STOPPING, "true");
  }

  public static boolean stopping(Vertx vertx) {
    return vertx.sharedData().<String, String>getLocalMap(LIFECYCLE).containsKey(STOPPING);
  }

  /** Publishes one of the node's figures (for example {@link #TASK_BACKLOG}); the latest value counts. */
  public static void setGauge(Vertx vertx, String name, long value) {
    vertx.sharedData().<String, Long>getLocalMap(GAUGES).put(name, value);
  }

  /** Adds {@code delta} to one of the node's figures (a count kept by several verticles or sessions). */
  public static void addToGauge(Vertx vertx, String name, long delta) {
    vertx.sharedData().<String, Long>getLocalMap(GAUGES).merge(name, delta, Long::sum);
  }

  /** The node's figures as last published. */
  public static java.util.Map<String, Long> gauges(Vertx vertx) {
    return java.util.Map.copyOf(vertx.sharedData().<String, Long>getLocalMap(GAUGES));
  }

  /** Dispatch tasks waiting on this node to be delivered (queued and retrying). */
  public static final String TASK_BACKLOG = "dispatch.taskBacklog";
  /** Delivered items not yet acknowledged in the queues of this node's users. */
  public static final String USER_BACKLOG = "dispatch.userBacklog";
  /** Edge batches a gateway holds, queued or on their way to core. */
  public static final String GATEWAY_QUEUED = "gateway.queued";
  /** Open SSE streams served by this node. */
  public static final String SSE_STREAMS = "sse.streams";
  /** Commands this node ran to the end, and those that failed, since it started (D9). */
  public static final String COMMANDS_DONE = "commands.done";
  public static final String COMMANDS_FAILED = "commands.failed";
}
