package tributary.bus;

import java.util.List;

/**
 * What a node tells management at start and every few seconds after (E1). {@code instance} is made
 * afresh by each process, so management can tell a restart of a node from a second process
 * started with an id already in use.
 */
public record NodeRegistration(
    String nodeId, List<String> roles, String site, String httpUrl, int cores, long memoryBytes, long diskBytes,
    String instance) {
  public NodeRegistration {
    roles = List.copyOf(roles);
  }
}
