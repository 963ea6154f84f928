package tributary.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tributary.config.Role;

/**
 * What {@code /ready} answers: each role of the node is ready when its verticles are deployed and
 * the services it needs answer (every role keeps its state in PostgreSQL; the cache role and live
 * reads need Redis; an edge needs management's grant); the node is ready when every role is, it
 * is in its cluster, and it is not stopping.
 */
public record Readiness(Map<String, Boolean> roles, boolean stopping, boolean ready) {

  /** The services and facts a node's readiness depends on, as probed now. */
  public record Probe(boolean postgres, boolean redis, boolean cluster, boolean registered) {}

  public static Readiness of(Set<Role> configured, Set<Role> deployed, Probe probe, boolean stopping) {
    Map<String, Boolean> roles = new LinkedHashMap<>();
    boolean all = true;
    for (Role role : Role.values()) {
      if (!configured.contains(role)) {
        continue;
      }
      boolean ready = deployed.contains(role) && probe.postgres() && probe.redis()
          && (role != Role.EDGE || probe.registered());
      roles.put(role.id(), ready);
      all &= ready;
    }
    return new Readiness(Map.copyOf(roles), stopping,
        all && !stopping && probe.cluster() && probe.registered());
  }
}
