package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.cluster.ClusterCredentials;
import tributary.config.NodeConfig;
import tributary.store.ClusterSecrets;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * Three clustered nodes on 127.0.0.1 (TCP join, multicast off) with different roles: A is an edge
 * with its HTTP face, B runs gateway, core, cache and management, C only the console.
 */
class ClusterIntegrationTest {
  private static TestEnv env;
  private static final List<Node> nodes = new ArrayList<>();

  private static String clusterName;
  private static int[] ports;

  @BeforeAll
  static void startCluster() {
    env = new TestEnv();
    clusterName = "test-" + UUID.randomUUID();
    ports = new int[] {TestEnv.freePort(), TestEnv.freePort(), TestEnv.freePort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    String[][] roles = {{"a", "edge"}, {"b", "gateway,core,cache,management"}, {"c", "console"}};
    List<Future<Node>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> s = env.settings("cluster-" + roles[i][0]);
      s.put("roles", roles[i][1]);
      s.put("cluster", "true");
      s.put("cluster-name", clusterName);
      s.put("cluster-port", String.valueOf(ports[i]));
      s.put("cluster-members", members);
      starting.add(Node.start(NodeConfig.from(s)));
    }
    await(Future.all(starting));
    starting.forEach(f -> nodes.add(f.result()));
  }

  @AfterAll
  static void stopCluster() {
    await(Future.join(nodes.stream().map(Node::stop).toList()));
    env.drop();
  }

  @Test
  void aRecordPostedAtNodeAsEdgeIsReadBackThroughNodeC() {
    try (Http a = new Http(nodes.get(0).config().httpPort()); Http c = new Http(nodes.get(2).config().httpPort())) {
      a.awaitReady(30_000);
      c.awaitReady(30_000);
      String token = c.createUser(env.adminToken, "edge-user");
      JsonObject accepted = a.postJson("/v1/channels/plant-7/records", token,
          "{\"type\":\"pressure\",\"payload\":{\"bar\":3.2}}").bodyAsJsonObject();
      assertEquals(1, accepted.getJsonArray("records").getJsonObject(0).getLong("cursor"), accepted.encode());

      JsonObject page = c.get("/v1/channels/plant-7/records?after=0", token).bodyAsJsonObject();
      assertEquals(1, page.getJsonArray("records").size(), page.encode());
      JsonObject record = page.getJsonArray("records").getJsonObject(0);
      assertEquals(3.2, record.getJsonObject("payload").getDouble("bar"));
      assertEquals("cluster-a", record.getString("edge"));

      JsonObject directory = c.get("/v1/nodes", token).bodyAsJsonObject();
      assertEquals(3, directory.getJsonArray("nodes").size(), directory.encode());
    }
  }

  @Test
  void aNodeWithoutTheEdgeRoleRefusesIngest() {
    try (Http c = new Http(nodes.get(2).config().httpPort())) {
      c.awaitReady(30_000);
      assertEquals(404, c.postJson("/v1/channels/x/records", env.adminToken, "{\"payload\":1}").statusCode());
    }
  }

  /**
   * X3: a process on a member-list host, with the cluster's name and member list but not its
   * credentials, neither joins as a member (so no bus address of the cluster reaches it) nor
   * connects as a Hazelcast client, cannot open an event-bus connection, and so gets no token.
   */
  @Test
  void aProcessWithoutTheClusterCredentialsCannotJoinSendOrLearnAToken() {
    HazelcastInstance trusted = ((HazelcastClusterManager) ((VertxInternal) nodes.get(1).vertx()).clusterManager())
        .getHazelcastInstance();

    Config rogueMember = new Config().setClusterName(clusterName)
        .setProperty("hazelcast.phone.home.enabled", "false").setProperty("hazelcast.max.join.seconds", "3")
        .setProperty("hazelcast.wait.seconds.before.join", "0").setProperty("hazelcast.logging.type", "slf4j");
    rogueMember.getNetworkConfig().setPort(TestEnv.freePort()).getJoin().getMulticastConfig().setEnabled(false);
    rogueMember.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    rogueMember.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1)
        .setMembers(java.util.Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).toList());
    // Every connection it makes fails the handshake: Hazelcast gives up joining and shuts it down.
    assertThrows(AssertionError.class, () -> await(Vertx.builder()
        .withClusterManager(new HazelcastClusterManager(rogueMember)).buildClustered()).close());
    assertEquals(3, trusted.getCluster().getMembers().size(), "the cluster has its three members only");

    ClientConfig rogueClient = new ClientConfig().setClusterName(clusterName).setProperty("hazelcast.logging.type", "slf4j");
    rogueClient.getNetworkConfig().addAddress("127.0.0.1:" + ports[1]);
    rogueClient.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
    assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(rogueClient).shutdown(),
        "a Hazelcast client without the secret is refused");

    // The event bus is mutual TLS with the cluster's certificate: it answers a holder of the
    // certificate with that certificate, and closes on one holding another.
    NodeInfo bus = ((VertxInternal) nodes.get(1).vertx()).clusterManager().getNodeInfo();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestEnv.PG_URL)
        .setProperties(Map.of("search_path", env.schema))).build();
    Vertx client = Vertx.vertx();
    try {
      ClusterCredentials cluster = await(ClusterSecrets.credentials(pool));
      // Trusting only the cluster's certificate, the handshake completes: the bus presents it.
      NetSocket member = await(client.createNetClient(tlsOptions(cluster)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(cluster.certPem()))))
          .connect(bus.port(), bus.host()));
      await(member.close());
      Future<Void> closed = client.createNetClient(tlsOptions(ClusterCredentials.create()).setTrustAll(true))
          .connect(bus.port(), bus.host())
          .compose(socket -> {
            Promise<Void> gone = Promise.promise();
            socket.closeHandler(v -> gone.tryComplete());
            socket.write(Buffer.buffer(new byte[64]));
            return gone.future();
          }).recover(e -> Future.succeededFuture());
      await(closed);
      assertEquals(0, await(pool.query("SELECT 1 FROM users WHERE user_id = 'rogue-admin'").execute()).size(),
          "no user was made for the rogue");
    } finally {
      await(client.close());
      await(pool.close());
    }
  }

  private static NetClientOptions tlsOptions(ClusterCredentials credentials) {
    return new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(credentials.keyPem()))
            .setCertValue(Buffer.buffer(credentials.certPem())));
  }

  /**
   * Issue 19: the event bus listens on a port a firewall can name, the Hazelcast port + 1000 by
   * default (these nodes leave cluster-bus-port at auto).
   */
  @Test
  void theEventBusListensBesideTheHazelcastPort() throws Exception {
    for (int port : ports) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port + 1000), 2_000);
      }
    }
  }

  /** X3: cluster traffic listens on the configured interface only (here loopback), not on every one. */
  @Test
  void clusterTrafficListensOnTheConfiguredInterfaceOnly() throws Exception {
    InetAddress other = java.util.Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
        .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
    Assumptions.assumeTrue(other != null, "this machine has no address besides loopback");
    try (Socket socket = new Socket()) {
      assertThrows(java.io.IOException.class, () -> socket.connect(new InetSocketAddress(other, ports[0]), 2_000));
    }
  }
}
