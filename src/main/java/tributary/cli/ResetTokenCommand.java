package tributary.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tributary.auth.TokenStore;
import tributary.auth.UserStore;
import tributary.config.NodeConfig;
import tributary.embedded.EmbeddedServices;
import tributary.store.Pg;

/**
 * {@code tributary admin reset-token}: an install whose administrator token was lost gets a new
 * one. Every token of the administrator is replaced in PostgreSQL by one new token, printed once.
 * The database is found as a node finds it (the same options, environment variables and config
 * file); with the embedded default, the data folder's PostgreSQL is started for the change and
 * stopped after it, and a folder a running node holds is refused.
 */
@Command(name = "reset-token", mixinStandardHelpOptions = true,
    description = {"Replace the administrator's tokens with a new one, printed once, for an install whose token was lost.",
        "Embedded default: stop the node first, then give its --data-dir. External PostgreSQL: --pg-url and --pg-schema",
        "(or TRIBUTARY_PG_URL, TRIBUTARY_PG_SCHEMA, --config as for the node); nodes may go on running."})
final class ResetTokenCommand implements Callable<Integer> {
  private static final long TIMEOUT_SECONDS = 60;
  private final CliIo io;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data folder (embedded PostgreSQL; default ./data)")
  String dataDir;

  @Option(names = "--pg-url", paramLabel = "URL", description = "postgresql://user[:password]@host:port/db of an external PostgreSQL")
  String pgUrl;

  @Option(names = "--pg-schema", paramLabel = "SCHEMA", description = "the schema holding the tables (default tributary)")
  String pgSchema;

  @Option(names = "--config", paramLabel = "FILE", description = "the node's JSON config file")
  String config;

  ResetTokenCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    NodeConfig node = nodeConfig();
    try (EmbeddedServices embedded = new EmbeddedServices(node.dataDir())) {
      if (node.pgUrl().isEmpty()) {
        Path pgData = node.dataDir().resolve("postgres");
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
          throw new IllegalArgumentException("no embedded database in " + node.dataDir().toAbsolutePath()
              + ": give the node's --data-dir, or --pg-url and --pg-schema for an external PostgreSQL");
        }
        io.err().println("starting the embedded PostgreSQL of " + node.dataDir().toAbsolutePath());
        embedded.start(true, false);
        node = node.with(tributary.config.Option.PG_URL, embedded.pgUrl());
      }
      TokenStore.Issued issued = reset(node);
      io.err().println("The administrator's tokens in schema '" + node.pgSchema() + "' are replaced by a new one ("
          + issued.info().tokenId() + "); running nodes refuse the old ones within 5 s. The new token, shown this once:");
      io.out().println(issued.token());
    }
    return 0;
  }

  /** The node's settings from these flags, the environment and the config file, as a node reads them. */
  private NodeConfig nodeConfig() {
    if (dataDir != null && pgUrl != null) {
      throw new IllegalArgumentException("give --data-dir (embedded) or --pg-url (external), not both");
    }
    return new NodeFlags().with("data-dir", dataDir).with("pg-url", pgUrl).with("pg-schema", pgSchema)
        .with("config", config).load(io);
  }

  private static TokenStore.Issued reset(NodeConfig node) throws IOException {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Pg.ownPool(vertx, node, 1);
      boolean installed = await(pool.query("SELECT to_regclass('" + node.pgSchema() + ".tokens') IS NOT NULL").execute()
          .map(rows -> rows.iterator().next().getBoolean(0)));
      if (!installed) {
        throw new IllegalArgumentException("no Tributary install in schema '" + node.pgSchema() + "' of "
            + node.pgUrlOrFail().replaceAll("//[^@/]*@", "//") + " (a node makes it at its first start)");
      }
      return await(new UserStore(pool).resetAdmin(System.currentTimeMillis()));
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the database refused: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the database did not answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
