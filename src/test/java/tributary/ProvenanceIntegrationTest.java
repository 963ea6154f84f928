package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * Records handed to storage (E7) and lineage look-ups (S8): committed records land in a segment
 * blob with three copies on distinct storage nodes; a record's provenance names its edge, site,
 * gateway, core node, results and every copy; a blob's names its source, derived blobs, tasks and
 * copies.
 */
class ProvenanceIntegrationTest {
  private static TestNode node;
  private static String user;

  @BeforeAll
  static void start() {
    node = TestNode.start("prov-node", Map.of("storage-heartbeat-ms", "200", "task-poll-ms", "200",
        "site", "harbour"));
    user = node.http.createUser(node.env.adminToken, "frank");
    Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", user).bodyAsJsonObject()
        .getJsonArray("nodes").size() == 3, 10_000, "three storage nodes heartbeating");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject provenance(String id) {
    HttpResponse<Buffer> r = node.http.get("/v1/provenance/" + id, user);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static Set<String> blobNodes(JsonArray copies) {
    return copies.stream().map(JsonObject.class::cast).filter(c -> c.getString("store").equals("blob"))
        .filter(c -> c.getString("state").equals("healthy")).map(c -> c.getString("node")).collect(Collectors.toSet());
  }

  @Test
  void aRecordIsArchivedInThreeCopiesAndItsLineageNamesEveryHop() {
    String config = "{\"thresholds\":[{\"field\":\"t\",\"above\":80}]}";
    assertEquals(200, node.http.putJson("/v1/processors/kiln-temp", node.env.adminToken, config).statusCode());
    Http.awaitCondition(() -> node.http.send(HttpMethod.POST, "/v1/channels/kiln/records", user, "application/json",
        "{\"type\":\"kiln-temp\",\"payload\":{\"t\":95}}").bodyAsJsonObject().getJsonArray("records") != null
        && !node.http.get("/v1/channels/kiln.results/records?after=0", user).bodyAsJsonObject()
            .getJsonArray("records").isEmpty(), 10_000, "threshold processor applied");
    HttpResponse<Buffer> posted = node.http.send(HttpMethod.POST, "/v1/channels/kiln/records", user,
        "application/x-ndjson", "{\"type\":\"kiln-temp\",\"payload\":{\"t\":20}}\n"
            + "{\"type\":\"kiln-temp\",\"payload\":{\"t\":99}}\n");
    assertEquals(202, posted.statusCode(), posted.bodyAsString());
    String hot = posted.bodyAsJsonObject().getJsonArray("records").getJsonObject(1).getString("id");

    Http.awaitCondition(() -> blobNodes(provenance(hot).getJsonArray("copies")).size() == 3, 20_000,
        "the record's segment at three copies");
    JsonObject lineage = provenance(hot);
    assertEquals("record", lineage.getString("kind"));
    assertEquals("prov-node", lineage.getJsonObject("origin").getString("edge"));
    assertEquals("harbour", lineage.getJsonObject("origin").getString("site"));
    assertEquals("frank", lineage.getJsonObject("origin").getString("sender"));
    assertEquals("prov-node", lineage.getString("gateway"));
    assertEquals("prov-node", lineage.getString("coreNode"));
    assertEquals(List.of("produced", "forwarded", "committed"), lineage.getJsonArray("steps").stream()
        .map(s -> ((JsonObject) s).getString("step")).toList());
    JsonArray results = lineage.getJsonArray("results");
    assertEquals(1, results.size(), results.encode());
    assertEquals(List.of(hot), results.getJsonObject(0).getJsonObject("payload").getJsonArray("inputs").getList());
    JsonArray copies = lineage.getJsonArray("copies");
    assertEquals("postgresql", copies.getJsonObject(0).getString("store"));
    assertEquals(3, blobNodes(copies).size(), "three distinct storage nodes: " + copies.encode());
    copies.stream().map(JsonObject.class::cast).forEach(c -> {
      assertTrue(c.getString("sha256").matches("[0-9a-f]{64}"), c.encode());
      assertTrue(c.getLong("verifiedAt") > 0, c.encode());
    });

    // the segment blob holds the record itself, and its placement matches
    String segment = copies.getJsonObject(1).getString("location").replaceAll(".*#segment=", "");
    try (BlobClient admin = new BlobClient(node.port())) {
      BlobClient.Reply bytes = admin.get(node.env.adminToken, "/v1/blobs/" + segment, Map.of(), true);
      assertEquals(200, bytes.status());
      assertTrue(bytes.body().toString().contains(hot), "the segment holds the record");
    }
    assertEquals(200, node.http.get("/v1/records/" + hot + "/placement", user).statusCode());
    String other = node.http.createUser(node.env.adminToken, "grace");
    node.http.putJson("/v1/channels/kiln/acl", user, "{\"readers\":[\"frank\"]}");
    assertEquals(403, node.http.get("/v1/provenance/" + hot, other).statusCode());
  }

  @Test
  void aBlobsLineageNamesItsSourceDerivedBlobsTasksAndCopies() {
    try (BlobClient blobs = new BlobClient(node.port())) {
      BlobClient.Reply up = blobs.upload(user, "?type=document&name=log.txt", "line\n".repeat(10_000).getBytes());
      assertEquals(201, up.status());
      String id = up.json().getString("id");
      JsonObject body = new JsonObject().put("kind", "compress").put("blob", id);
      assertEquals(202, node.http.postJson("/v1/tasks", user, body.encode()).statusCode());
      Http.awaitCondition(() -> provenance(id).getJsonArray("derived").size() == 1, 20_000, "the compressed blob");
      JsonObject source = provenance(id);
      assertEquals("blob", source.getString("kind"));
      assertEquals("prov-node", source.getJsonObject("origin").getString("node"));
      assertEquals("harbour", source.getJsonObject("origin").getString("site"));
      assertTrue(source.getJsonArray("tasks").stream().map(JsonObject.class::cast)
          .anyMatch(t -> t.getString("kind").equals("compress")), source.encode());
      assertTrue(source.getJsonArray("copies").size() >= 2);
      String derived = source.getJsonArray("derived").getJsonObject(0).getString("id");
      JsonObject child = provenance(derived);
      assertEquals(id, child.getJsonArray("derivedFrom").getJsonObject(0).getString("id"));
      assertEquals("compress:gzip", child.getJsonObject("blob").getString("derivedBy"));
    }
    assertEquals(404, node.http.get("/v1/provenance/nothing-here", user).statusCode());
  }
}
