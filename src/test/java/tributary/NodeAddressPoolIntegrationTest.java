package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.bus.Addresses;
import tributary.bus.NodeRegistration;
import tributary.bus.Registered;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * E1: management gives each registering node the address others must use, from its configured pool
 * (one node per address, kept across registrations), or the address the node reports once the pool
 * is spent. Other nodes register here through management's own bus address, as a node agent does.
 */
class NodeAddressPoolIntegrationTest {
  private static final String FIRST = "http://10.9.0.1:8080";
  private static final String SECOND = "http://10.9.0.2:8080";

  private static Registered register(TestNode node, String nodeId, String reported) {
    NodeRegistration registration = new NodeRegistration(nodeId, List.of("edge"), "site-1", reported, 2, 1L << 30,
        1L << 34, "instance-of-" + nodeId);
    return await(node.node.vertx().eventBus().<Registered>request(Addresses.MANAGEMENT_REGISTER, registration)).body();
  }

  private static JsonObject listed(Http http, String admin, String nodeId) {
    JsonArray nodes = http.get("/v1/nodes", admin).bodyAsJsonObject().getJsonArray("nodes");
    return nodes.stream().map(JsonObject.class::cast).filter(n -> n.getString("nodeId").equals(nodeId)).findFirst()
        .orElseThrow();
  }

  @Test
  void managementGivesEachNodeAPoolAddressOnceAndTheReportedOneWhenThePoolIsSpent() {
    try (TestNode node = TestNode.start("pool-mgmt", Map.of("address-pool", FIRST + "," + SECOND))) {
      String admin = node.env.adminToken;
      Http.awaitCondition(() -> node.http.get("/health", null).bodyAsJsonObject().containsKey("address"), 10_000,
          "the node's own registration answered");
      JsonObject health = node.http.get("/health", null).bodyAsJsonObject();
      assertEquals(FIRST, health.getString("address"), "the first node takes the pool's first address");
      assertEquals("pool", health.getString("addressSource"));

      Registered other = register(node, "pool-edge-2", "http://edge-2.local:8080");
      assertEquals(SECOND, other.address());
      assertNotEquals(health.getInteger("nodeNumber"), other.nodeNumber(), "each node its own number");
      assertEquals(other, register(node, "pool-edge-2", "http://edge-2.local:8080"),
          "a node registering again keeps its number and address");

      Registered third = register(node, "pool-edge-3", "http://edge-3.local:8080");
      assertEquals("http://edge-3.local:8080", third.address(), "with the pool spent, the address the node reports");
      assertEquals("pool-exhausted", third.addressSource());

      JsonObject listed = listed(node.http, admin, "pool-edge-2");
      assertEquals(SECOND, listed.getString("address"), "the node list gives the address others must use");
      assertEquals("http://edge-2.local:8080", listed.getString("httpUrl"), "beside the one the node reports");
      assertEquals("http://edge-3.local:8080", listed(node.http, admin, "pool-edge-3").getString("address"));
    }
  }

  @Test
  void withoutAPoolANodeIsReachedAtTheAddressItReports() {
    try (TestNode node = TestNode.start("nopool-mgmt", Map.of())) {
      Registered other = register(node, "nopool-edge", "http://edge.local:9000");
      assertEquals("http://edge.local:9000", other.address());
      assertEquals("reported", other.addressSource());
    }
  }
}
