package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;
import tributary.support.Http;
import tributary.support.TestCertificates;
import tributary.support.TestEnv;

/** X3: the API and console over HTTPS with a certificate the test makes, and the optional redirect from plain HTTP. */
class HttpsIntegrationTest {
  private static final TestEnv env = new TestEnv();
  private static Node node;
  private static Vertx vertx;
  private static WebClient client;
  private static int port;
  private static int redirectPort;

  @BeforeAll
  static void start() {
    Map<String, String> s = env.settings("https-node");
    TestCertificates certs = TestCertificates.create(Path.of(s.get("data-dir"), "tls"));
    redirectPort = TestEnv.freePort();
    s.put("tls-cert", certs.cert().toString());
    s.put("tls-key", certs.key().toString());
    s.put("http-redirect-port", String.valueOf(redirectPort));
    s.put("storage-nodes", "0");
    node = await(Node.start(NodeConfig.from(s)));
    port = node.config().httpPort();
    vertx = Vertx.vertx();
    // Trusts only the test's certificate, and checks that it names the host (127.0.0.1).
    client = WebClient.create(vertx, new WebClientOptions().setVerifyHost(true).setFollowRedirects(false)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certs.certPem()))));
    Http.awaitCondition(() -> send(HttpMethod.GET, "https://127.0.0.1:" + port + "/ready", null).succeeded(), 30_000,
        "node ready over HTTPS");
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
    await(node.stop());
    env.drop();
  }

  /** The request's outcome, failed or not, once it is known. */
  private static Future<HttpResponse<Buffer>> send(HttpMethod method, String url, String token) {
    var request = client.requestAbs(method, url).timeout(10_000);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    Future<HttpResponse<Buffer>> sent = request.send();
    await(sent.otherwiseEmpty());
    return sent;
  }

  @Test
  void theConsoleAndTheApiAnswerOverHttps() {
    HttpResponse<Buffer> page = send(HttpMethod.GET, "https://127.0.0.1:" + port + "/", null).result();
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("<html") || page.bodyAsString().contains("<!DOCTYPE"), "the console page");
    HttpResponse<Buffer> api = send(HttpMethod.GET, "https://127.0.0.1:" + port + "/v1/processors", env.adminToken)
        .result();
    assertEquals(200, api.statusCode(), api.bodyAsString());
    assertTrue(node.config().publicUrl().startsWith("https://"), "the node names its address https://");
  }

  @Test
  void plainHttpToTheHttpsPortGetsNoAnswer() {
    Future<HttpResponse<Buffer>> plain = send(HttpMethod.GET, "http://127.0.0.1:" + port + "/ready", null);
    assertTrue(plain.failed() || plain.result().statusCode() == 400,
        "plain HTTP is not served there: " + (plain.failed() ? plain.cause() : plain.result().statusCode()));
  }

  @Test
  void aFileThatHoldsNoKeyStopsTheStartNamingTheOption() throws Exception {
    TestEnv other = new TestEnv();
    Map<String, String> s = other.settings("bad-pem-node");
    Path bad = Path.of(s.get("data-dir"), "not-a-key.pem");
    java.nio.file.Files.createDirectories(bad.getParent());
    java.nio.file.Files.writeString(bad, "not a PEM file\n");
    s.put("tls-cert", bad.toString());
    s.put("tls-key", bad.toString());
    s.put("storage-nodes", "0");
    try {
      Future<Node> started = Node.start(NodeConfig.from(s));
      await(started.otherwiseEmpty());
      assertTrue(started.failed(), "a node with no usable key does not start");
      assertTrue(started.cause().getMessage().contains("tls-key " + bad), started.cause().getMessage());
    } finally {
      other.drop();
    }
  }

  @Test
  void thePlainPortRedirectsEveryRequestToHttps() {
    HttpResponse<Buffer> get = send(HttpMethod.GET, "http://127.0.0.1:" + redirectPort + "/v1/channels/c/records?after=3",
        null).result();
    assertEquals(301, get.statusCode());
    assertEquals("https://127.0.0.1:" + port + "/v1/channels/c/records?after=3", get.getHeader("Location"));
    HttpResponse<Buffer> post = send(HttpMethod.POST, "http://127.0.0.1:" + redirectPort + "/v1/users", null).result();
    assertEquals(308, post.statusCode(), "other methods keep their method and body");
    assertEquals("https://127.0.0.1:" + port + "/v1/users", post.getHeader("Location"));
  }
}
