package tributary.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server of the test's own on a free port, with its data in a folder that survives
 * {@link #restart()}: for tests that stop the database under a running cluster. Commits are
 * fsynced, as acknowledged must mean on disk.
 */
public final class OwnPostgres implements AutoCloseable {
  public final int port = TestEnv.freePort();
  private final Path dataDir;
  private EmbeddedPostgres server;

  public OwnPostgres(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    Files.createDirectories(dataDir);
    start();
  }

  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  private void start() throws IOException {
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.resolve("data"))
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(dataDir.resolve("binaries").toFile())
        .setPort(port)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("max_connections", "200")
        .start();
  }

  /** Stops the server (fast shutdown: sessions are cut) and starts it again on the same port and data. */
  public void restart() throws IOException {
    server.close();
    start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
