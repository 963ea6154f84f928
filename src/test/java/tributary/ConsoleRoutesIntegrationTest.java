package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.TestNode;

/**
 * The read routes the console needs beside the others (C1): the channel list with each channel's
 * length, rights and cache setting and the totals, as each caller may see it (X3); the user list
 * for administrators; the chart library served from its WebJar.
 */
class ConsoleRoutesIntegrationTest {

  @Test
  void theChannelListShowsLengthsRightsAndTotalsToEachCallerAsTheyMayRead() {
    try (TestNode node = TestNode.start("routes-node", Map.of())) {
      String admin = node.env.adminToken;
      String alice = node.http.createUser(admin, "alice");
      String bob = node.http.createUser(admin, "bob");
      for (String channel : List.of("open-a", "open-b", "secret")) {
        assertEquals(202, node.http.postJson("/v1/channels/" + channel + "/records", alice,
            "{\"payload\":1}").statusCode());
      }
      assertEquals(202, node.http.postJson("/v1/channels/open-a/records", alice, "{\"payload\":2}").statusCode());
      assertEquals(200, node.http.putJson("/v1/channels/secret/acl", alice, "{\"readers\":[]}").statusCode());
      assertEquals(200, node.http.putJson("/v1/channels/open-b/cache", alice, "{\"ttlMs\":60000}").statusCode());

      JsonObject all = node.http.get("/v1/channels", admin).bodyAsJsonObject();
      assertEquals(List.of("open-a", "open-b", "secret"), names(all.getJsonArray("channels")));
      JsonObject openA = all.getJsonArray("channels").getJsonObject(0);
      assertEquals(2, openA.getLong("length"));
      assertEquals("alice", openA.getString("owner"));
      assertEquals(60000, all.getJsonArray("channels").getJsonObject(1).getLong("ttlMs"));
      assertTrue(all.getJsonArray("channels").getJsonObject(2).getBoolean("restricted"));
      assertEquals(new JsonObject().put("channels", 3L).put("records", 4L), all.getJsonObject("totals"));
      assertTrue(all.getJsonObject("defaultCache").getLong("ttlMs") > 0);
      assertNull(all.getValue("next"));

      JsonObject bobs = node.http.get("/v1/channels", bob).bodyAsJsonObject();
      assertEquals(List.of("open-a", "open-b"), names(bobs.getJsonArray("channels")), "bob cannot read secret");
      assertEquals(3L, bobs.getJsonObject("totals").getLong("records"));
      JsonObject page = node.http.get("/v1/channels?limit=1&after=open-a", admin).bodyAsJsonObject();
      assertEquals(List.of("open-b"), names(page.getJsonArray("channels")));
      assertEquals("open-b", page.getString("next"));
      assertEquals(List.of("secret"), names(node.http.get("/v1/channels?prefix=sec", alice).bodyAsJsonObject()
          .getJsonArray("channels")));
      assertEquals(400, node.http.get("/v1/channels?limit=0", admin).statusCode());
    }
  }

  @Test
  void administratorsListUsersWithoutTheirTokensAndOthersAreRefused() {
    try (TestNode node = TestNode.start("users-node", Map.of())) {
      String admin = node.env.adminToken;
      String alice = node.http.createUser(admin, "alice");
      JsonObject users = node.http.get("/v1/users", admin).bodyAsJsonObject();
      assertEquals(List.of("admin", "alice"), users.getJsonArray("users").stream()
          .map(u -> ((JsonObject) u).getString("userId")).toList());
      assertTrue(users.getJsonArray("users").stream().allMatch(u -> ((JsonObject) u).fieldNames()
          .equals(java.util.Set.of("userId", "kind", "createdAt"))));
      var refused = node.http.get("/v1/users", alice);
      assertEquals(403, refused.statusCode());
      assertEquals("forbidden", refused.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  void administratorsReadAnEdgesGrantSetOrDefault() {
    try (TestNode node = TestNode.start("grant-node", Map.of())) {
      String admin = node.env.adminToken;
      JsonObject unset = node.http.get("/v1/nodes/grant-node/grant", admin).bodyAsJsonObject();
      assertEquals(false, unset.getBoolean("set"));
      assertEquals(new JsonArray(), unset.getJsonArray("permittedTypes"));
      assertEquals(200, node.http.putJson("/v1/nodes/grant-node/grant", admin,
          "{\"permittedTypes\":[\"meter\"],\"defaultPriority\":2}").statusCode());
      JsonObject set = node.http.get("/v1/nodes/grant-node/grant", admin).bodyAsJsonObject();
      assertEquals(true, set.getBoolean("set"));
      assertEquals(new JsonArray().add("meter"), set.getJsonArray("permittedTypes"));
      assertEquals(2, set.getInteger("defaultPriority"));
      String alice = node.http.createUser(admin, "alice");
      assertEquals(403, node.http.get("/v1/nodes/grant-node/grant", alice).statusCode());
    }
  }

  @Test
  void theChartLibraryIsServedFromItsWebJar() {
    try (TestNode node = TestNode.start("webjar-node", Map.of())) {
      var script = node.http.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js", null);
      assertEquals(200, script.statusCode());
      assertTrue(script.bodyAsString().contains("export"), "an ES module");
      assertEquals(200, node.http.get("/webjars/uplot/1.6.30/dist/uPlot.min.css", null).statusCode());
      assertEquals(404, node.http.get("/webjars/uplot/0.0.0/none.js", null).statusCode());
    }
  }

  @Test
  void storageNodesCarryTheirLoadScore() {
    try (TestNode node = TestNode.start("score-node", Map.of("storage-heartbeat-ms", "200"))) {
      tributary.support.Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", node.env.adminToken)
          .bodyAsJsonObject().getJsonArray("nodes").size() == 3, 20_000, "three storage nodes");
      double weights = 0;
      for (Object n : node.http.get("/v1/storage/nodes", node.env.adminToken).bodyAsJsonObject().getJsonArray("nodes")) {
        JsonObject store = (JsonObject) n;
        assertTrue(store.getDouble("loadScore") >= 0, "a load of zero or more: " + n);
        assertTrue(store.getJsonObject("load").getDouble("cpuCapacity") > 0, "CPU capacity measured: " + n);
        assertTrue(store.getJsonObject("load").getLong("memoryBytes") > 1, "physical memory measured: " + n);
        weights += store.getJsonObject("score").getDouble("weight");
      }
      assertEquals(1.0, weights, 1e-9, "the weights w_i share out the cluster's remaining capacity (S2)");
    }
  }

  private static List<String> names(JsonArray channels) {
    return channels.stream().map(c -> ((JsonObject) c).getString("channel")).toList();
  }
}
