package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tributary.Node;
import tributary.config.NodeConfig;

/** Clustered nodes on 127.0.0.1 for one test: TCP join on a member list, multicast off, a cluster of its own. */
public final class Cluster implements AutoCloseable {
  private final TestEnv env;
  private final String name = "test-" + UUID.randomUUID();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Node> latest = new java.util.HashMap<>();
  private final Map<String, Map<String, String>> settings = new java.util.HashMap<>();

  public Cluster(TestEnv env) {
    this.env = env;
  }

  /**
   * Starts one node per entry of {@code roles} (keyed by node id), all at once, each with the
   * extra settings given; returns them in order.
   */
  public List<Node> start(Map<String, String> roles, Map<String, String> extra) {
    return start(roles, extra, Map.of());
  }

  /** As {@link #start(Map, Map)}, with settings for single nodes (by id) over the shared ones. */
  public List<Node> start(Map<String, String> roles, Map<String, String> extra, Map<String, Map<String, String>> own) {
    List<Integer> ports = new ArrayList<>();
    roles.keySet().forEach(id -> ports.add(TestEnv.freePort()));
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    List<Future<Node>> starting = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> e : roles.entrySet()) {
      Map<String, String> s = env.settings(e.getKey());
      s.put("roles", e.getValue());
      s.put("cluster", "true");
      s.put("cluster-name", name);
      s.put("cluster-port", String.valueOf(ports.get(i++)));
      s.put("cluster-bus-port", "0"); // auto (Hazelcast port + 1000) could be another test's free port
      s.put("cluster-members", members);
      s.putAll(extra);
      s.putAll(own.getOrDefault(e.getKey(), Map.of()));
      settings.put(e.getKey(), s);
      starting.add(Node.start(NodeConfig.from(s)));
    }
    await(Future.all(starting));
    List<Node> started = starting.stream().map(Future::result).toList();
    nodes.addAll(started);
    started.forEach(n -> latest.put(n.config().nodeId(), n));
    return started;
  }

  /**
   * Kills a node the way a crash would: its Hazelcast member stops without leaving the cluster,
   * then its Vert.x instance closes without waiting for anything in flight.
   */
  public static void crash(Node node) {
    HazelcastClusterManager cm = (HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager();
    cm.getHazelcastInstance().getLifecycleService().terminate();
    node.vertx().close();
  }

  /** Starts a node of this cluster again with the settings, ports and folder it had. */
  public Node restart(String nodeId) {
    Node node = await(Node.start(NodeConfig.from(settings.get(nodeId))));
    nodes.add(node);
    latest.put(nodeId, node);
    return node;
  }

  /** The node of that id as last started. */
  public Node node(String nodeId) {
    return latest.get(nodeId);
  }

  /**
   * Stops the nodes one after another, the last started first. All at once, a node still leaving
   * the cluster could wait on the deregistration of its bus consumers at a member that had just
   * left beside it, retried by Hazelcast past the await (NodeIdentityClusterTest, twice in CI).
   */
  @Override
  public void close() {
    Future<Void> stopped = Future.succeededFuture();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      stopped = stopped.transform(previous -> n.stop().otherwiseEmpty());
    }
    await(stopped);
  }
}
