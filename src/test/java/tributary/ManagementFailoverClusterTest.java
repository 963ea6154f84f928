package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Issue 19: several management nodes and no single point of failure. With two management nodes,
 * the crash of one leaves the node list, registrations, grants and users working through the other.
 */
class ManagementFailoverClusterTest {
  private static JsonObject listed(Http http, String admin, String nodeId) {
    return http.get("/v1/nodes", admin).bodyAsJsonObject().getJsonArray("nodes").stream()
        .map(JsonObject.class::cast).filter(n -> n.getString("nodeId").equals(nodeId)).findFirst().orElse(null);
  }

  @Test
  void theCrashOfOneManagementNodeLeavesRegistrationsAndTheNodeListWorking() {
    TestEnv env = new TestEnv();
    try (Cluster cluster = new Cluster(env)) {
      Map<String, String> roles = new LinkedHashMap<>();
      roles.put("mgmt-1", "management,cache,core,gateway,console");
      roles.put("mgmt-2", "management,cache,core,gateway,console");
      roles.put("edge-x", "edge,console");
      List<Node> started = cluster.start(roles, Map.of());
      try (Http survivor = new Http(started.get(1).config().httpPort());
           Http edge = new Http(started.get(2).config().httpPort())) {
        edge.awaitReady(30_000);
        survivor.awaitReady(30_000);
        Cluster.crash(started.get(0));
        long crashedAt = System.currentTimeMillis();
        // The edge's next registrations reach the surviving management node.
        Http.awaitCondition(() -> {
          JsonObject e = listed(survivor, env.adminToken, "edge-x");
          return e != null && e.getLong("lastSeenAt") > crashedAt + 100;
        }, 30_000, "a registration of the edge after the crash, answered by mgmt-2");
        assertEquals("up", listed(survivor, env.adminToken, "edge-x").getString("state"));
        assertEquals(200, edge.get("/ready", null).statusCode(), "the edge stays registered and ready");

        // Grants and users go through management's bus addresses too.
        assertEquals(200, survivor.putJson("/v1/nodes/edge-x/grant", env.adminToken,
            "{\"permittedTypes\":[\"meter\"],\"defaultPriority\":3}").statusCode());
        String user = survivor.createUser(env.adminToken, "after-crash");
        Http.awaitCondition(() -> edge.postJson("/v1/channels/failover/records", user,
            "{\"type\":\"meter\",\"payload\":{\"v\":1}}").statusCode() == 202, 30_000,
            "ingest at the edge, through the surviving core, under the new grant");
        assertEquals(403, edge.postJson("/v1/channels/failover/records", user,
            "{\"type\":\"other\",\"payload\":{}}").statusCode(), "the grant set after the crash holds");
      }
    } finally {
      env.drop();
    }
  }
}
