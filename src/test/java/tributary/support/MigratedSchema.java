package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tributary.config.NodeConfig;

/**
 * A test class's own migrated schema and a pool on it, for tests of a store alone (no node
 * started): register it as a static extension; the schema is dropped after the class.
 */
public final class MigratedSchema implements BeforeAllCallback, AfterAllCallback {
  private final String nodeId;
  private final TestEnv env = new TestEnv();
  private Vertx vertx;
  private Pool pool;

  public MigratedSchema(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    pool = env.migratedPool(vertx, nodeId);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    await(vertx.close());
    env.drop();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  /** The configuration of a node on this schema. */
  public NodeConfig config() {
    return env.config(nodeId);
  }
}
