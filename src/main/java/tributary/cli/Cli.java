package tributary.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tributary.node.BuildInfo;

/**
 * The command-line client in the node's jar: {@code java -jar tributary.jar COMMAND ...}. Every
 * command but {@code admin} talks to a node's HTTP API; their failures end with the node's message
 * on stderr and exit code 1 (2 for a bad argument).
 */
@Command(name = "tributary", synopsisSubcommandLabel = "COMMAND",
    description = "Tributary's command-line client; `tributary COMMAND --help` describes each command.",
    subcommands = CommandLine.HelpCommand.class)
public final class Cli {
  /** The line `tributary --help` adds below the node's options. */
  public static final String COMMANDS = "Commands (instead of options; `tributary COMMAND --help`): send, tail, put, get, "
      + "nodes, users add, admin reset-token, admin upgrade-embedded-db";

  private Cli() {}

  /** Whether the arguments name a command rather than a node's options. */
  public static boolean isCommand(String[] args) {
    return args.length > 0 && !args[0].startsWith("-");
  }

  /** Runs the command the arguments name; the process's exit code. */
  public static int run(String[] args, CliIo io) {
    return commandLine(io).execute(args);
  }

  static CommandLine commandLine(CliIo io) {
    CommandLine cli = new CommandLine(new Cli())
        .addSubcommand(new SendCommand(io))
        .addSubcommand(new TailCommand(io))
        .addSubcommand(new PutCommand(io))
        .addSubcommand(new GetCommand(io))
        .addSubcommand(new NodesCommand(io))
        .addSubcommand(new CommandLine(new UsersCommand()).addSubcommand(new UsersAddCommand(io)))
        .addSubcommand(new CommandLine(new AdminCommand()).addSubcommand(new ResetTokenCommand(io))
            .addSubcommand(new UpgradeEmbeddedDbCommand(io)));
    withVersion(cli);
    cli.setOut(new PrintWriter(io.out(), true));
    cli.setErr(new PrintWriter(io.err(), true));
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println("tributary " + command.getCommandName() + ": " + message(e));
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    return cli;
  }

  /** {@code --version} on every command prints the build, as the node's does. */
  private static void withVersion(CommandLine command) {
    command.getCommandSpec().versionProvider(() -> new String[] {BuildInfo.describe()});
    command.getSubcommands().values().forEach(Cli::withVersion);
  }

  private static String message(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  @Command(name = "users", synopsisSubcommandLabel = "COMMAND", mixinStandardHelpOptions = true,
      description = "Users, edges and administrators (administrators only).")
  static final class UsersCommand {}

  @Command(name = "admin", synopsisSubcommandLabel = "COMMAND", mixinStandardHelpOptions = true,
      description = "Work on an install's database directly, without a running node.")
  static final class AdminCommand {}
}
