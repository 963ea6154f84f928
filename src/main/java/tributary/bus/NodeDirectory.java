package tributary.bus;

import java.util.List;

/** The registered nodes as management knows them. */
public record NodeDirectory(List<Node> nodes) {
  public NodeDirectory {
    nodes = List.copyOf(nodes);
  }

  /**
   * One registered node; {@code number} is the one management gave it at its first registration;
   * {@code address} is where others must reach it (its pool address, else {@code httpUrl}, the one it
   * reports); {@code state} is "up" while it registers, else "down".
   */
  public record Node(
      String nodeId, int number, List<String> roles, String site, String address, String httpUrl, int cores, long memoryBytes,
      long diskBytes, long registeredAt, long lastSeenAt, String state) {}
}
