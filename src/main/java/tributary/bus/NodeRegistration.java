package tributary.bus;

import java.util.List;

/** What a node tells management at start (E1). */
public record NodeRegistration(
    String nodeId, List<String> roles, String site, String httpUrl, int cores, long memoryBytes, long diskBytes) {
  public NodeRegistration {
    roles = List.copyOf(roles);
  }
}
