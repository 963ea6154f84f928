package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.support.TestNode;

/** E1: an edge checks the envelope protocol of its grant and refuses to build records in another. */
class EdgeProtocolIntegrationTest {
  @Test
  void anEdgeGrantedAnotherProtocolVersionRefusesRecordsSayingSo() {
    try (TestNode node = TestNode.start("protocol-edge", Map.of())) {
      String user = node.http.createUser(node.env.adminToken, "protocol-user");
      assertEquals(202, node.http.postJson("/v1/channels/p/records", user, "{\"payload\":1}").statusCode());

      EdgeGrant newer = new EdgeGrant(List.of(), 5, Envelope.PROTOCOL_VERSION + 1, System.currentTimeMillis() + 60_000, null);
      await(node.node.vertx().eventBus().request(Addresses.nodeGrant("protocol-edge"), newer));
      HttpResponse<Buffer> refused = node.http.postJson("/v1/channels/p/records", user, "{\"payload\":2}");
      assertEquals(503, refused.statusCode(), refused.bodyAsString());
      assertTrue(refused.bodyAsJsonObject().getString("message").contains("protocol v" + (Envelope.PROTOCOL_VERSION + 1)),
          refused.bodyAsString());
      assertEquals(1, node.http.get("/v1/channels/p/records?after=0", user).bodyAsJsonObject().getJsonArray("records")
          .size(), "nothing was stored under the foreign protocol");
    }
  }
}
