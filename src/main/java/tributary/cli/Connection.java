package tributary.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to a node takes (see {@link ClientSettings} for their precedence). */
final class Connection {
  @Option(names = "--url", paramLabel = "URL",
      description = "the node's base URL (else $" + ClientSettings.URL_ENV + ", the config file, " + ClientSettings.DEFAULT_URL + ")")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "bearer token (else $" + ClientSettings.TOKEN_ENV + ", the config file); prefer the environment: ps shows flags")
  String token;

  @Option(names = "--cli-config", paramLabel = "FILE",
      description = "JSON file with \"url\" and \"token\" (default ~/.config/tributary/cli.json)")
  Path file;

  ClientSettings settings(CliIo io) {
    return ClientSettings.resolve(url, token, file, ClientSettings.defaultFile(io.home()), io.env());
  }

  NodeClient client(CliIo io) {
    return new NodeClient(settings(io));
  }
}
