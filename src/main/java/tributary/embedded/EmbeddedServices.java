package tributary.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded PostgreSQL and Redis of the single-node default (X1): both keep their files under
 * the data folder, listen on free loopback ports (never the standard 5432 and 6379) and are
 * stopped by {@link #close()}.
 */
public final class EmbeddedServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);
  private static final Set<Integer> STANDARD_PORTS = Set.of(5432, 6379);

  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final String pgUrl;
  private final String redisUrl;

  private EmbeddedServices(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
    this.postgres = postgres;
    this.redis = redis;
    this.pgUrl = "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    this.redisUrl = "redis://127.0.0.1:" + redisPort;
  }

  /** Starts whichever of the two is asked for; blocking, so call it off any event loop. */
  public static EmbeddedServices start(Path dataDir, boolean wantPostgres, boolean wantRedis) throws IOException {
    EmbeddedPostgres postgres = null;
    RedisServer redis = null;
    int redisPort = 0;
    try {
      if (wantPostgres) {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        postgres = EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(dataDir.resolve("postgres-binaries").toFile())
            .setPort(freePort())
            // The library's defaults favour test speed (fsync off); acknowledged must mean on disk (X5).
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start();
        LOG.info("embedded PostgreSQL started [port: {}, data: {}]", postgres.getPort(), pgData);
      }
      if (wantRedis) {
        Path redisData = dataDir.resolve("redis");
        Files.createDirectories(redisData);
        redisPort = freePort();
        redis = RedisServer.newRedisServer()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("dir " + redisData.toAbsolutePath())
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
        redis.start();
        LOG.info("embedded Redis started [port: {}]", redisPort);
      }
      return new EmbeddedServices(postgres, redis, redisPort);
    } catch (IOException | RuntimeException e) {
      stopQuietly(postgres, redis);
      throw e;
    }
  }

  public String pgUrl() {
    return postgres == null ? null : pgUrl;
  }

  public String redisUrl() {
    return redis == null ? null : redisUrl;
  }

  @Override
  public void close() {
    stopQuietly(postgres, redis);
  }

  private static void stopQuietly(EmbeddedPostgres postgres, RedisServer redis) {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping embedded Redis failed", e);
      }
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping embedded PostgreSQL failed", e);
      }
    }
  }

  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        int port = socket.getLocalPort();
        if (!STANDARD_PORTS.contains(port)) {
          return port;
        }
      }
    }
  }
}
