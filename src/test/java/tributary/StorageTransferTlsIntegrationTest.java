package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestCertificates;
import tributary.support.TestEnv;
import tributary.support.TestNode;

/**
 * X3: with storage-tls on, the storage transfer port is mutual TLS (the cluster's certificate, or
 * one given by options) and a blob upload still lands its three copies through it.
 */
class StorageTransferTlsIntegrationTest {
  private static final String TRANSFER = "/internal/stores/x/blobs/" + "0".repeat(64);

  private static List<JsonObject> storageNodes(TestNode node, String token) {
    return node.http.get("/v1/storage/nodes", token).bodyAsJsonObject().getJsonArray("nodes").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static void uploadLandsThreeCopiesOverTls(Map<String, String> settings) {
    try (TestNode node = TestNode.start("tls-store", settings); BlobClient blobs = new BlobClient(node.port())) {
      String alice = node.http.createUser(node.env.adminToken, "alice");
      Http.awaitCondition(() -> storageNodes(node, alice).size() == 3, 15_000, "three storage nodes heartbeating");
      String url = storageNodes(node, alice).get(0).getString("url");
      assertTrue(url.startsWith("https://"), "the transfer port is announced as TLS: " + url);

      byte[] bytes = "copied three times over TLS".repeat(1000).getBytes();
      BlobClient.Reply up = blobs.upload(alice, "?type=document&name=tls.txt", bytes);
      assertEquals(201, up.status(), up.body().toString());
      String id = up.json().getString("id");
      Http.awaitCondition(() -> healthy(node, alice, id).size() == 3, 20_000, "three healthy copies of " + id);
      BlobClient.Reply down = blobs.get(alice, "/v1/blobs/" + id, Map.of(), true);
      assertEquals(200, down.status());
      assertEquals(BlobClient.sha256(bytes), down.sha256());

      Vertx vertx = Vertx.vertx();
      try {
        Future<HttpResponse<Buffer>> plain = WebClient.create(vertx).getAbs(url.replace("https://", "http://") + TRANSFER)
            .timeout(10_000).send();
        await(plain.otherwiseEmpty());
        assertTrue(plain.failed() || plain.result().statusCode() == 400, "plain HTTP is not served on the transfer port");
        Future<HttpResponse<Buffer>> stranger = WebClient.create(vertx, new WebClientOptions().setTrustAll(true)
            .setVerifyHost(false)).getAbs(url + TRANSFER).timeout(10_000).send();
        await(stranger.otherwiseEmpty());
        assertTrue(stranger.failed(), "a client without the certificate cannot open the transfer port");
      } finally {
        await(vertx.close());
      }
    }
  }

  private static Set<String> healthy(TestNode node, String token, String id) {
    return node.http.get("/v1/blobs/" + id + "/meta", token).bodyAsJsonObject().getJsonArray("copies").stream()
        .map(JsonObject.class::cast).filter(c -> c.getString("state").equals("healthy")).map(c -> c.getString("node"))
        .collect(Collectors.toSet());
  }

  @Test
  void withTheClustersOwnCertificateABlobLandsItsThreeCopies() {
    uploadLandsThreeCopiesOverTls(Map.of("storage-tls", "true", "storage-heartbeat-ms", "200"));
  }

  @Test
  void withAGivenCertificateABlobLandsItsThreeCopies() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tributary-tls-" + System.nanoTime());
    TestCertificates certs = TestCertificates.create(dir);
    try {
      uploadLandsThreeCopiesOverTls(Map.of("storage-tls", "true", "storage-heartbeat-ms", "200",
          "storage-tls-cert", certs.cert().toString(), "storage-tls-key", certs.key().toString()));
    } finally {
      certs.cert().toFile().delete();
      certs.key().toFile().delete();
      dir.toFile().delete();
    }
  }
}
