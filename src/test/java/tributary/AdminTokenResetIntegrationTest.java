package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tributary.cli.Cli;
import tributary.cli.CliIo;
import tributary.config.NodeConfig;
import tributary.embedded.EmbeddedServices;
import tributary.embedded.FolderLock;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestNode;
import verticles.ManagementVerticle;

/** Issue 19 (X3): a lost administrator token is replaced with `tributary admin reset-token`, and a node says when a configured one is not installed. */
class AdminTokenResetIntegrationTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new CliIo(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int usersStatus(Http http, String token) {
    return http.send(HttpMethod.GET, "/v1/users", token, null, null).statusCode();
  }

  @Test
  void resetReplacesEveryAdministratorTokenWithOneNewOneAndANodeWarnsOfAnUninstalledToken() {
    try (TestNode node = TestNode.start("reset-node", Map.of())) {
      String lost = node.env.adminToken;
      assertEquals(200, usersStatus(node.http, lost), "the old token works and is in the node's cache");
      String second = node.http.send(HttpMethod.POST, "/v1/users/admin/tokens", lost, "application/json", "{}")
          .bodyAsJsonObject().getString("token");
      assertEquals(200, usersStatus(node.http, second));

      Run reset = run("admin", "reset-token", "--pg-url", TestEnv.PG_URL, "--pg-schema", node.env.schema);
      assertEquals(0, reset.code(), reset.err());
      String fresh = reset.out().trim();
      assertTrue(fresh.startsWith("trb_") && !fresh.contains("\n"), "only the token on stdout: " + reset.out());
      assertNotEquals(lost, fresh);
      assertTrue(reset.err().contains("shown this once"), reset.err());

      assertEquals(200, usersStatus(node.http, fresh), "the new token is accepted at once");
      // A node trusts a token it looked up for AuthHandler.CACHE_MS (5 s); then both old ones are refused.
      Http.awaitCondition(() -> usersStatus(node.http, lost) == 401 && usersStatus(node.http, second) == 401, 15_000,
          "the old administrator tokens refused");
      assertEquals(1, node.http.get("/v1/users/admin/tokens", fresh).bodyAsJsonObject().getJsonArray("tokens").size(),
          "the administrator holds the new token only");

      Logger log = (Logger) LoggerFactory.getLogger(ManagementVerticle.class);
      ListAppender<ILoggingEvent> seen = new ListAppender<>();
      seen.start();
      log.addAppender(seen);
      try {
        // A second node on the same install, configured with the lost token: it is not installed, and it says so.
        Map<String, String> settings = node.env.settings("reset-node-2");
        Node other = await(Node.start(NodeConfig.from(settings)));
        await(other.stop());
      } finally {
        log.detachAppender(seen);
      }
      assertTrue(seen.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
              && e.getFormattedMessage().contains("admin-token was NOT installed")
              && e.getFormattedMessage().contains("tributary admin reset-token")),
          "warned: " + seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
      assertEquals(401, usersStatus(node.http, lost), "and the lost token stays refused");
    }
  }

  @Test
  void resetOnAnEmbeddedDataFolderStartsItsDatabaseAndStopsItAfterwards() throws IOException {
    Path data = dir.resolve("embedded");
    TestEnv env = new TestEnv();
    try {
      try (EmbeddedServices postgres = new EmbeddedServices(data)) {
        postgres.start(true, false);
        withNode(env, postgres.pgUrl(), http -> assertEquals(200, usersStatus(http, env.adminToken)));
      }
      Run reset = run("admin", "reset-token", "--data-dir", data.toString(), "--pg-schema", env.schema);
      assertEquals(0, reset.code(), reset.err());
      String fresh = reset.out().trim();
      assertTrue(fresh.startsWith("trb_"), reset.out());
      assertFalse(Files.exists(data.resolve("postgres/postmaster.pid")), "the folder's PostgreSQL is stopped again");
      try (EmbeddedServices postgres = new EmbeddedServices(data)) {
        postgres.start(true, false);
        withNode(env, postgres.pgUrl(), http -> {
          assertEquals(200, usersStatus(http, fresh));
          assertEquals(401, usersStatus(http, env.adminToken));
        });
      }
    } finally {
      env.drop();
    }
  }

  /** Runs the checks against a node on this database, then stops it. */
  private static void withNode(TestEnv env, String pgUrl, java.util.function.Consumer<Http> checks) {
    Map<String, String> settings = env.settings("embedded-reset");
    settings.put("pg-url", pgUrl);
    Node node = await(Node.start(NodeConfig.from(settings)));
    try (Http http = new Http(node.config().httpPort())) {
      http.awaitReady(30_000);
      checks.accept(http);
    } finally {
      await(node.stop());
    }
  }

  @Test
  void aSchemaWithoutAnInstallIsRefusedAndChangesNothing() {
    Run reset = run("admin", "reset-token", "--pg-url", TestEnv.PG_URL, "--pg-schema", "t_no_install_here");
    assertEquals(2, reset.code());
    assertTrue(reset.err().contains("no Tributary install in schema 't_no_install_here'"), reset.err());
    assertEquals("", reset.out());
  }

  @Test
  void aDataFolderWithoutAnEmbeddedDatabaseOrHeldByARunningNodeIsRefused() throws IOException {
    Path data = dir.resolve("data");
    Run empty = run("admin", "reset-token", "--data-dir", data.toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains("no embedded database in " + data.toAbsolutePath()), empty.err());

    Files.createDirectories(data.resolve("postgres"));
    Files.writeString(data.resolve("postgres/PG_VERSION"), "15\n");
    try (FolderLock running = FolderLock.take(data)) {
      Run held = run("admin", "reset-token", "--data-dir", data.toString());
      assertEquals(1, held.code());
      assertTrue(held.err().contains("in use by a running Tributary node"), held.err());
      assertEquals("", held.out());
    }

    Run both = run("admin", "reset-token", "--data-dir", data.toString(), "--pg-url", TestEnv.PG_URL);
    assertEquals(2, both.code());
    assertTrue(both.err().contains("not both"), both.err());
  }
}
