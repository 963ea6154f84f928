package tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary users add NAME [--kind K]}: makes an identity (X3) and prints its first token, shown this once. */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Make user NAME (administrator token needed) and print its token on stdout: it is shown this once.")
final class UsersAddCommand implements Callable<Integer> {
  /** The kinds of identity. */
  enum Kind {
    user, edge, admin
  }

  private final CliIo io;

  @Mixin
  Connection connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "the new identity's id")
  String name;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "user",
      description = "one of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); an edge is named like its node")
  Kind kind;

  UsersAddCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    NodeClient client = connection.client(io);
    String body = NodeClient.JSON.createObjectNode().put("userId", name).put("kind", kind.name()).toString();
    JsonNode made = client.json(client.request("/v1/users").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    io.err().println(made.path("kind").asText() + " '" + made.path("userId").asText() + "' made (token "
        + made.path("tokenId").asText() + "); its token, shown this once:");
    io.out().println(made.path("token").asText());
    return 0;
  }
}
