package tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tributary nodes}: the registered nodes (D8) as a table. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "List the cluster's nodes: roles, site, state, address, last heartbeat and latest CPU, memory and disk use.")
final class NodesCommand implements Callable<Integer> {
  static final List<String> HEADER = List.of("NODE", "NO", "STATE", "ROLES", "SITE", "ADDRESS", "CPU%", "MEM%", "DISK%",
      "LAST SEEN");
  private final CliIo io;

  @Mixin
  Connection connection;

  NodesCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    NodeClient client = connection.client(io);
    JsonNode answer = client.json(client.request("/v1/nodes").GET().build());
    io.out().print(Table.render(HEADER, rows(answer)));
    return 0;
  }

  /** One row per node of a {@code GET /v1/nodes} answer. */
  static List<List<String>> rows(JsonNode answer) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode node : answer.path("nodes")) {
      List<String> roles = new ArrayList<>();
      node.path("roles").forEach(r -> roles.add(r.asText()));
      JsonNode status = node.path("status");
      rows.add(List.of(node.path("nodeId").asText(), node.path("number").asText(), node.path("state").asText(),
          String.join(",", roles), node.path("site").asText(), node.path("address").asText(),
          percent(status, "cpuPercent"), percent(status, "memoryPercent"), percent(status, "diskPercent"),
          node.hasNonNull("lastSeenAt") ? Instant.ofEpochMilli(node.get("lastSeenAt").asLong()).toString() : "-"));
    }
    return rows;
  }

  private static String percent(JsonNode status, String field) {
    return status.hasNonNull(field) ? String.format(Locale.ROOT, "%.1f", status.get(field).asDouble()) : "-";
  }
}
