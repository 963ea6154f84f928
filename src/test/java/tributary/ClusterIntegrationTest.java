package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Three clustered nodes on 127.0.0.1 (TCP join, multicast off) with different roles: A is an edge
 * with its HTTP face, B runs gateway, core, cache and management, C only the console.
 */
class ClusterIntegrationTest {
  private static TestEnv env;
  private static final List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    env = new TestEnv();
    String clusterName = "test-" + UUID.randomUUID();
    int[] ports = {TestEnv.freePort(), TestEnv.freePort(), TestEnv.freePort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    String[][] roles = {{"a", "edge"}, {"b", "gateway,core,cache,management"}, {"c", "console"}};
    List<Future<Node>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> s = env.settings("cluster-" + roles[i][0]);
      s.put("roles", roles[i][1]);
      s.put("cluster", "true");
      s.put("cluster-name", clusterName);
      s.put("cluster-port", String.valueOf(ports[i]));
      s.put("cluster-members", members);
      starting.add(Node.start(NodeConfig.from(s)));
    }
    await(Future.all(starting));
    starting.forEach(f -> nodes.add(f.result()));
  }

  @AfterAll
  static void stopCluster() {
    await(Future.join(nodes.stream().map(Node::stop).toList()));
    env.drop();
  }

  @Test
  void aRecordPostedAtNodeAsEdgeIsReadBackThroughNodeC() {
    try (Http a = new Http(nodes.get(0).config().httpPort()); Http c = new Http(nodes.get(2).config().httpPort())) {
      a.awaitReady(30_000);
      c.awaitReady(30_000);
      String token = c.createUser(env.adminToken, "edge-user");
      JsonObject accepted = a.postJson("/v1/channels/plant-7/records", token,
          "{\"type\":\"pressure\",\"payload\":{\"bar\":3.2}}").bodyAsJsonObject();
      assertEquals(1, accepted.getJsonArray("records").getJsonObject(0).getLong("cursor"), accepted.encode());

      JsonObject page = c.get("/v1/channels/plant-7/records?after=0", token).bodyAsJsonObject();
      assertEquals(1, page.getJsonArray("records").size(), page.encode());
      JsonObject record = page.getJsonArray("records").getJsonObject(0);
      assertEquals(3.2, record.getJsonObject("payload").getDouble("bar"));
      assertEquals("cluster-a", record.getString("edge"));

      JsonObject directory = c.get("/v1/nodes", token).bodyAsJsonObject();
      assertEquals(3, directory.getJsonArray("nodes").size(), directory.encode());
    }
  }

  @Test
  void aNodeWithoutTheEdgeRoleRefusesIngest() {
    try (Http c = new Http(nodes.get(2).config().httpPort())) {
      c.awaitReady(30_000);
      assertEquals(404, c.postJson("/v1/channels/x/records", env.adminToken, "{\"payload\":1}").statusCode());
    }
  }
}
