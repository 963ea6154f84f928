package tributary.support;

import static tributary.support.TestEnv.await;

import java.util.Map;
import tributary.Node;
import tributary.config.NodeConfig;

/** One node of a test run, ready, with an HTTP client on it; closing it stops the node and drops the run's data. */
public final class TestNode implements AutoCloseable {
  public final TestEnv env = new TestEnv();
  public final Node node;
  public final Http http;

  private TestNode(String nodeId, Map<String, String> settings) {
    Map<String, String> s = env.settings(nodeId);
    s.putAll(settings);
    node = await(Node.start(NodeConfig.from(s)));
    http = new Http(node.config().httpPort());
    http.awaitReady(30_000);
  }

  /** An all-roles node with the given settings over the run's defaults. */
  public static TestNode start(String nodeId, Map<String, String> settings) {
    return new TestNode(nodeId, settings);
  }

  public int port() {
    return node.config().httpPort();
  }

  @Override
  public void close() {
    http.close();
    await(node.stop());
    env.drop();
  }
}
