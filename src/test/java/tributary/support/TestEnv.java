package tributary.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tributary.auth.Tokens;
import tributary.config.NodeConfig;

/**
 * The machine's real PostgreSQL and Redis, partitioned per test run: every run gets a schema and
 * a key prefix of its own, removed again by {@link #drop()}.
 */
public final class TestEnv {
  public static final String PG_URL =
      System.getenv().getOrDefault("TRIBUTARY_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test");
  public static final String REDIS_URL =
      System.getenv().getOrDefault("TRIBUTARY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  public final String schema;
  public final String redisPrefix;
  public final String adminToken;

  public TestEnv() {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    schema = "t_" + run;
    redisPrefix = "test:" + run + ":";
    adminToken = Tokens.generate();
  }

  /** Settings of one node of this run; more may be added or replaced by the caller. */
  public Map<String, String> settings(String nodeId) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("node-id", nodeId);
    s.put("pg-url", PG_URL);
    s.put("pg-schema", schema);
    s.put("redis-url", REDIS_URL);
    s.put("redis-prefix", redisPrefix);
    s.put("admin-token", adminToken);
    s.put("http-port", String.valueOf(freePort()));
    s.put("http-host", "127.0.0.1");
    s.put("storage-port", "0"); // auto (http-port + 10) could be another test's free port
    s.put("data-dir", System.getProperty("java.io.tmpdir") + "/tributary-test-" + schema + "/" + nodeId);
    return s;
  }

  public NodeConfig config(String nodeId) {
    return NodeConfig.from(settings(nodeId));
  }

  /** A pool on this run's schema, migrated, for tests of a store alone (no node started). */
  public Pool migratedPool(Vertx vertx, String nodeId) {
    NodeConfig config = config(nodeId);
    tributary.store.SchemaMigrations.migrate(config);
    return tributary.store.Pg.pool(vertx, config);
  }

  /** Drops the run's schema, keys and files. */
  public void drop() {
    deleteTree(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "tributary-test-" + schema));
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
          .connectingTo(PgConnectOptions.fromUri(PG_URL)).using(vertx).build();
      await(pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute());
      Redis redis = Redis.createClient(vertx, REDIS_URL);
      deleteKeys(redis, redisPrefix + "*");
    } finally {
      await(vertx.close());
    }
  }

  private static void deleteKeys(Redis redis, String pattern) {
    String cursor = "0";
    do {
      Response page = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern)
          .arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      for (Response key : page.get(1)) {
        await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
      }
    } while (!cursor.equals("0"));
  }

  private static void deleteTree(java.nio.file.Path root) {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final int PORT_BASE = 20_000;
  private static final int PORT_SPAN = 12_000;
  private static final AtomicInteger nextPort = new AtomicInteger(new Random().nextInt(PORT_SPAN));

  /**
   * A port free now, below the kernel's ephemeral range (32768 and up), so that the many outgoing
   * connections a test makes cannot take it before the server that was given it binds; handed out
   * in turn from a random start so that no two callers get the same one.
   */
  public static int freePort() {
    for (int tries = 0; tries < PORT_SPAN; tries++) {
      int port = PORT_BASE + Math.floorMod(nextPort.getAndIncrement(), PORT_SPAN);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // in use: try the next one
      }
    }
    throw new IllegalStateException("no free port in " + PORT_BASE + ".." + (PORT_BASE + PORT_SPAN));
  }

  /** Waits for a future from test code (never from an event loop). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new AssertionError("awaited future failed: " + cause, cause);
    }
  }
}
