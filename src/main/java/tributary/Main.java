package tributary;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cli.Cli;
import tributary.cli.CliIo;
import tributary.config.ConfigException;
import tributary.config.ConfigLoader;
import tributary.config.NodeConfig;
import tributary.config.Option;
import tributary.embedded.EmbeddedServices;
import tributary.node.BuildInfo;
import tributary.node.LogSetup;

/**
 * Entry point: a command name first runs the command-line client ({@link Cli}); options (or none)
 * read the configuration, start embedded servers if no URLs are given and start the node.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (Cli.isCommand(args)) {
      // A command's output is its own: only warnings of the libraries it uses (embedded PostgreSQL) may join it.
      LogSetup.apply("warn", false);
      System.exit(Cli.run(args, CliIo.system()));
      return;
    }
    if (ConfigLoader.wantsHelp(args)) {
      System.out.print(ConfigLoader.help());
      System.out.println();
      System.out.println(Cli.COMMANDS);
      return;
    }
    if (ConfigLoader.wantsVersion(args)) {
      System.out.println(BuildInfo.describe());
      return;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.err.println("(run with --help for the list of options)");
      System.exit(2);
      return;
    }
    LogSetup.apply(config.logLevel(), config.logJson());
    LOG.info("starting {}", BuildInfo.describe());
    long started = System.nanoTime();
    // The hook is in place before anything starts, so Ctrl-C during start-up stops what has started.
    EmbeddedServices embedded = new EmbeddedServices(config.dataDir());
    AtomicReference<Node> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(running.get(), embedded), "tributary-shutdown"));
    if (config.pgUrl().isEmpty() || config.redisUrl().isEmpty()) {
      try {
        embedded.start(config.pgUrl().isEmpty(), config.redisUrl().isEmpty());
      } catch (java.io.IOException e) {
        LOG.error("the embedded servers cannot start: {}", e.getMessage());
        System.exit(1);
        return;
      }
      if (embedded.pgUrl() != null) {
        config = config.with(Option.PG_URL, embedded.pgUrl());
      }
      if (embedded.redisUrl() != null) {
        config = config.with(Option.REDIS_URL, embedded.redisUrl());
      }
    }
    try {
      running.set(Node.start(config, ConfigLoader.flags(args)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("node failed to start: {}", cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
      System.exit(1); // the hook stops the embedded servers
      return;
    }
    LOG.info("node started [node: {}, roles: {}, http: {}, in {} ms]", config.nodeId(), config.roles(),
        config.publicUrl(), (System.nanoTime() - started) / 1_000_000);
  }

  private static void shutdown(Node node, EmbeddedServices servers) {
    if (node != null) {
      LOG.info("stopping [node: {}]", node.config().nodeId());
      CompletableFuture<Void> stopped = node.stop().toCompletionStage().toCompletableFuture();
      try {
        stopped.get(node.config().drainDelayMs() + node.config().shutdownGraceMs() + 30_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("node did not stop cleanly", e);
      }
    }
    servers.close();
  }
}
