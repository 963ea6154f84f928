package tributary.bus;

import java.util.List;

/** The registered nodes as management knows them. */
public record NodeDirectory(List<Node> nodes) {
  public NodeDirectory {
    nodes = List.copyOf(nodes);
  }

  /** One registered node; {@code state} is "up" while it is a cluster member, else "down". */
  public record Node(
      String nodeId, List<String> roles, String site, String httpUrl, int cores, long memoryBytes, long diskBytes,
      long registeredAt, long lastSeenAt, String state) {}
}
