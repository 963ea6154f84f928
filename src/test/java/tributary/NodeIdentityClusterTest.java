package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * E1: management numbers each node and refuses a second running process with a node id in use;
 * when the holder goes away, the other takes the id over.
 */
class NodeIdentityClusterTest {
  private static boolean ready(Node node) {
    try (Http http = new Http(node.config().httpPort())) {
      return http.get("/ready", null).statusCode() == 200;
    }
  }

  private static List<JsonObject> nodes(Http http, String admin) {
    JsonArray list = http.get("/v1/nodes", admin).bodyAsJsonObject().getJsonArray("nodes");
    return list.stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void aSecondProcessWithANodeIdInUseIsRefusedUntilTheHolderIsGone() {
    TestEnv env = new TestEnv();
    try (Cluster cluster = new Cluster(env)) {
      Map<String, String> roles = new LinkedHashMap<>();
      roles.put("mgmt", "management,cache,core,gateway,console");
      roles.put("twin", "edge,console");
      roles.put("twin-copy", "edge,console");
      List<Node> started = cluster.start(roles, Map.of(), Map.of("twin-copy", Map.of("node-id", "twin")));
      Node mgmt = started.get(0);
      Node a = started.get(1);
      Node b = started.get(2);
      Http.awaitCondition(() -> ready(mgmt) && (ready(a) || ready(b)), 30_000, "one of the twins registered");
      Node holder = ready(a) ? a : b;
      Node refused = holder == a ? b : a;
      try (Http http = new Http(mgmt.config().httpPort())) {
        // Several registration rounds of the refused one pass; it stays out.
        Http.awaitCondition(() -> nodes(http, env.adminToken).stream().filter(n -> n.getString("nodeId").equals("twin"))
            .count() == 1, 10_000, "the id listed once");
        assertTrue(!ready(refused), "the second process with the id is not registered");
        JsonObject twin = nodes(http, env.adminToken).stream().filter(n -> n.getString("nodeId").equals("twin"))
            .findFirst().orElseThrow();
        assertEquals(holder.config().publicUrl(), twin.getString("httpUrl"), "the holder keeps the id");
        List<Integer> numbers = nodes(http, env.adminToken).stream().map(n -> n.getInteger("number")).toList();
        assertEquals(2, numbers.size());
        assertNotEquals(numbers.get(0), numbers.get(1), "each node its own number: " + numbers);

        await(holder.stop());
        Http.awaitCondition(() -> ready(refused), 20_000, "the other process takes the id once the holder is gone");
        Http.awaitCondition(() -> nodes(http, env.adminToken).stream()
            .anyMatch(n -> n.getString("nodeId").equals("twin") && n.getString("httpUrl").equals(refused.config().publicUrl())
                && n.getInteger("number").equals(twin.getInteger("number"))), 10_000,
            "the id, with its number, now names the other process");
      }
    } finally {
      env.drop();
    }
  }
}
