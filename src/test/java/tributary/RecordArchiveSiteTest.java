package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
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
 * E7 across sites: records posted at an edge of site "north" are stored by a storage node of that
 * site and two more elsewhere, even though three of the four storage nodes are in "south".
 */
class RecordArchiveSiteTest {

  @Test
  void recordsGetACopyAtTheirEdgesSiteAndTwoMoreElsewhere() {
    TestEnv env = new TestEnv();
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("north-edge", "edge,gateway,core,cache,management,console");
    roles.put("north-store", "storage");
    roles.put("south-1", "storage");
    roles.put("south-2", "storage");
    roles.put("south-3", "storage");
    Map<String, Map<String, String>> sites = new LinkedHashMap<>();
    roles.keySet().forEach(id -> sites.put(id, Map.of("site", id.startsWith("north") ? "north" : "south")));
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, Map.of("storage-nodes", "1", "storage-heartbeat-ms", "200",
          "task-poll-ms", "200"), sites);
      Http http = new Http(nodes.get(0).config().httpPort());
      String token = http.createUser(env.adminToken, "harbour-master");
      Http.awaitCondition(() -> http.get("/v1/storage/health", token).bodyAsJsonObject().getLong("nodesUp") == 4,
          20_000, "four storage nodes up");
      // ten channels, ten segments: a placement that ignored the site would still pick the one
      // northern node three times in four by chance, but not ten times running
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        batch.append("{\"payload\":{\"n\":").append(i).append("}}\n");
      }
      List<String> ids = new java.util.ArrayList<>();
      for (int channel = 0; channel < 10; channel++) {
        ids.add(http.send(HttpMethod.POST, "/v1/channels/tides-" + channel + "/records", token,
            "application/x-ndjson", batch.toString()).bodyAsJsonObject().getJsonArray("records").getJsonObject(7)
            .getString("id"));
      }
      for (String id : ids) {
        JsonArray[] copies = new JsonArray[1];
        Http.awaitCondition(() -> {
          copies[0] = http.get("/v1/records/" + id + "/placement", token).bodyAsJsonObject().getJsonArray("copies");
          return copies[0].stream().map(JsonObject.class::cast).filter(c -> c.getString("store").equals("blob"))
              .filter(c -> c.getString("state").equals("healthy")).count() == 3;
        }, 30_000, "the segment holding " + id + " at three healthy copies");
        List<String> holders = copies[0].stream().map(JsonObject.class::cast)
            .filter(c -> c.getString("store").equals("blob")).map(c -> c.getString("node")).toList();
        assertTrue(holders.contains("north-store"), "a copy at the edge's own site: " + holders);
        assertEquals(3, holders.stream().distinct().count(), "three distinct nodes: " + holders);
      }
      http.close();
    } finally {
      env.drop();
    }
  }
}
