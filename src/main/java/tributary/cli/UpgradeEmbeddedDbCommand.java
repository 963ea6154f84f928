package tributary.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tributary.config.NodeConfig;
import tributary.embedded.EmbeddedServices;
import tributary.embedded.UpgradeEmbeddedDb;

/**
 * {@code tributary admin upgrade-embedded-db}: a data folder whose embedded database an earlier
 * release made with PostgreSQL 14 is moved to the PostgreSQL this release runs, keeping the old
 * folder as a backup (see {@link UpgradeEmbeddedDb}). A node refuses such a folder and names this.
 */
@Command(name = "upgrade-embedded-db", mixinStandardHelpOptions = true,
    description = {"Move the embedded database of a data folder made by PostgreSQL 14 (earlier releases) to PostgreSQL "
        + EmbeddedServices.PG_MAJOR + ", offline.",
        "Stop the node first. The old folder is kept as <data-dir>/" + UpgradeEmbeddedDb.BACKUP_FOLDER
            + "; delete it once the node runs well."})
final class UpgradeEmbeddedDbCommand implements Callable<Integer> {
  private final CliIo io;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data folder (default ./data)")
  String dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "the node's JSON config file")
  String config;

  UpgradeEmbeddedDbCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    NodeConfig node = new NodeFlags().with("data-dir", dataDir).with("config", config).load(io);
    if (node.pgUrl().isPresent()) {
      throw new IllegalArgumentException("the node is configured with an external PostgreSQL (pg-url): upgrade that"
          + " server with its own tools (pg_upgrade); this command is for the embedded default");
    }
    io.err().println("upgrading the embedded database of " + node.dataDir().toAbsolutePath() + " to PostgreSQL "
        + EmbeddedServices.PG_MAJOR + " (the old folder is kept)");
    UpgradeEmbeddedDb.Result done = UpgradeEmbeddedDb.upgrade(node.dataDir());
    io.err().println("done: schemas " + done.schemas() + ", " + done.rows() + " rows copied and counted; the old folder is "
        + done.backup() + " (delete it once the node runs well)");
    return 0;
  }
}
