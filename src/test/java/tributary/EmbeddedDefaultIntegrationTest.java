package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * X1: the main class with no URLs, in a fresh folder, starts embedded PostgreSQL and Redis, serves
 * the round trip, keeps its data across a restart, and leaves no server process behind on stop.
 */
class EmbeddedDefaultIntegrationTest {
  private static final Pattern TOKEN = Pattern.compile("(trb_[A-Za-z0-9_-]{43})");
  private static final Pattern REDIS_PORT = Pattern.compile("embedded Redis started \\[port: (\\d+)");
  private static final Pattern PG_PORT = Pattern.compile("embedded PostgreSQL started \\[port: (\\d+)");

  /** A node running in a child JVM, with everything it printed. */
  private record Child(Process process, List<String> output) {
    String find(Pattern pattern) {
      for (String line : output) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
      return null;
    }
  }

  private static Child launch(Path dataDir, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "tributary.Main",
        "--data-dir=" + dataDir, "--http-port=" + port, "--node-id=embedded-test")
        .redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the child exited
      }
    });
    reader.setDaemon(true);
    reader.start();
    return new Child(p, output);
  }

  private static void stop(Child child) throws Exception {
    child.process().destroy(); // SIGTERM, as Ctrl-C or a service manager would
    assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "node did not exit on SIGTERM");
  }

  /** Whether a server runs on the folder: named in its command line, on the Redis port, or working in it. */
  private static boolean serverProcessesUnder(Path dataDir, String redisPort) {
    return ProcessHandle.allProcesses().anyMatch(ph -> ph.info().commandLine()
        .map(cmd -> cmd.contains(dataDir.toString()) || (cmd.contains("redis-server") && cmd.contains(":" + redisPort)))
        .orElse(false) || workingIn(ph, dataDir));
  }

  private static boolean workingIn(ProcessHandle process, Path dataDir) {
    try {
      return java.nio.file.Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "cwd")).toString()
          .startsWith(dataDir.toString());
    } catch (java.io.IOException | RuntimeException e) {
      return false; // gone, or not ours to read
    }
  }

  @Test
  void noUrlsMeansEmbeddedServersThatComeAndGoWithTheNode(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    int port = TestEnv.freePort();
    Child first = launch(dataDir, port);
    String redisPort;
    String user;
    try (Http http = new Http(port)) {
      http.awaitReady(120_000);
      String admin = first.find(TOKEN);
      assertTrue(admin != null, "the administrator token is printed at first start: " + first.output());
      redisPort = first.find(REDIS_PORT);
      assertFalse(redisPort.equals("6379") || first.find(PG_PORT).equals("5432"), "standard ports are not used");
      assertDurableSettings(Integer.parseInt(first.find(PG_PORT)));

      user = http.createUser(admin, "first-user");
      assertEquals(202, http.postJson("/v1/channels/local/records", user, "{\"payload\":{\"n\":1}}").statusCode());
      JsonObject page = http.get("/v1/channels/local/records?after=0", user).bodyAsJsonObject();
      assertEquals(1, page.getJsonArray("records").size());
      assertTrue(http.get("/", null).bodyAsString().contains("Tributary"), "console page served");
    } finally {
      stop(first);
    }
    assertFalse(serverProcessesUnder(dataDir, redisPort), "embedded servers left running after stop");

    Child second = launch(dataDir, port);
    try (Http http = new Http(port)) {
      http.awaitReady(120_000);
      assertEquals(null, second.find(TOKEN), "a restart keeps the first administrator and prints no new token");
      JsonObject page = http.get("/v1/channels/local/records?after=0", user).bodyAsJsonObject();
      assertEquals(1, page.getJsonArray("records").size(), "data and users survive a restart: " + page.encode());
    } finally {
      stop(second);
    }
    assertFalse(serverProcessesUnder(dataDir, second.find(REDIS_PORT)),
        "embedded servers left running after the second stop");
  }

  @Test
  void aNodeKilledWithSigkillRestartsOnItsDataFolderWithAllItsData(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    int port = TestEnv.freePort();
    Child first = launch(dataDir, port);
    String user;
    String orphanRedisPort;
    try (Http http = new Http(port)) {
      http.awaitReady(120_000);
      user = http.createUser(first.find(TOKEN), "survivor");
      assertEquals(202, http.postJson("/v1/channels/kept/records", user, "{\"payload\":{\"n\":1}}").statusCode());
      orphanRedisPort = first.find(REDIS_PORT);
    }
    first.process().destroyForcibly(); // kill -9: no shutdown hook runs
    assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
    assertTrue(serverProcessesUnder(dataDir, orphanRedisPort), "the killed JVM's servers outlive it (the case at hand)");

    Child second = launch(dataDir, port);
    try (Http http = new Http(port)) {
      http.awaitReady(120_000);
      JsonObject page = http.get("/v1/channels/kept/records?after=0", user).bodyAsJsonObject();
      assertEquals(1, page.getJsonArray("records").size(), "data and users survive kill -9: " + page.encode());
      assertFalse(ProcessHandle.allProcesses().anyMatch(ph -> ph.info().commandLine()
          .map(cmd -> cmd.contains("redis-server") && cmd.contains(":" + orphanRedisPort)).orElse(false)),
          "the orphaned Redis was stopped");
    } finally {
      stop(second);
    }
    assertFalse(serverProcessesUnder(dataDir, second.find(REDIS_PORT)), "embedded servers left running after stop");
  }

  @Test
  void ctrlCDuringStartUpLeavesNoServerRunning(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    Child node = launch(dataDir, TestEnv.freePort());
    long deadline = System.currentTimeMillis() + 120_000;
    while (node.find(PG_PORT) == null && node.process().isAlive() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(node.find(PG_PORT) != null, "PostgreSQL started: " + node.output());
    stop(node); // SIGTERM while the node is still starting
    assertFalse(serverProcessesUnder(dataDir, String.valueOf(node.find(REDIS_PORT))),
        "no embedded server outlives a stop during start-up: " + node.output());
  }

  private static void assertDurableSettings(int pgPort) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri("postgresql://postgres@127.0.0.1:" + pgPort
          + "/postgres")).using(vertx).build();
      assertEquals("on", await(pool.query("SHOW fsync").execute()).iterator().next().getString(0));
      assertEquals("on", await(pool.query("SHOW synchronous_commit").execute()).iterator().next().getString(0));
    } finally {
      await(vertx.close());
    }
  }
}
