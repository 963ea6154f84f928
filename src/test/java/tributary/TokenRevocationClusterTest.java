package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.http.AuthHandler;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/** X3: a token revoked on one node is refused by every other node within a second, cached there or not. */
class TokenRevocationClusterTest {
  @Test
  void aTokenRevokedOnOneNodeIsRefusedOnTheOtherWithinASecond() {
    TestEnv env = new TestEnv();
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("tokens-a", "console,management");
    roles.put("tokens-b", "console");
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, Map.of("storage-nodes", "0"));
      try (Http a = new Http(nodes.get(0).config().httpPort()); Http b = new Http(nodes.get(1).config().httpPort())) {
        String userToken = a.createUser(env.adminToken, "dana");
        HttpResponse<Buffer> issued = a.postJson("/v1/users/dana/tokens", userToken, "{\"label\":\"phone\"}");
        assertEquals(201, issued.statusCode(), issued.bodyAsString());
        JsonObject second = issued.bodyAsJsonObject();
        String token = second.getString("token");
        // B resolves the token and keeps it in its cache, for longer than the second the test allows.
        assertEquals(200, b.get("/v1/users/dana/tokens", token).statusCode());
        assertTrue(AuthHandler.CACHE_MS > 1_000);

        HttpResponse<Buffer> revoked = a.send(HttpMethod.DELETE, "/v1/users/dana/tokens/" + second.getString("tokenId"),
            userToken, null, null);
        assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
        long at = System.nanoTime();
        Http.awaitCondition(() -> b.get("/v1/users/dana/tokens", token).statusCode() == 401, 1_000,
            "the revoked token refused on the other node");
        long tookMs = (System.nanoTime() - at) / 1_000_000;
        assertTrue(tookMs < 1_000, "refused after " + tookMs + " ms");
        assertEquals(200, b.get("/v1/users/dana/tokens", userToken).statusCode(), "the user's other token still works");

        // An administrator's revocation of every token reaches the other node the same way.
        assertEquals(200, b.get("/v1/users/dana/tokens", userToken).statusCode());
        assertEquals(200, b.send(HttpMethod.DELETE, "/v1/users/dana/tokens", env.adminToken, null, null).statusCode());
        Http.awaitCondition(() -> a.get("/v1/users/dana/tokens", userToken).statusCode() == 401, 1_000,
            "every token of the user refused on the first node");
      }
    } finally {
      env.drop();
    }
  }
}
