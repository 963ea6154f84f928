package verticles;

import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import tributary.config.NodeConfig;
import tributary.config.Role;

/**
 * The one place that says which verticles a role deploys, in start order: stores and consumers
 * before the HTTP face that calls them.
 */
public final class RoleVerticles {
  private RoleVerticles() {}

  /** The deployment of the node agent, which runs on every node and outlives a restart (D9). */
  public static final String AGENT = "node-agent";

  /**
   * A verticle to deploy and the roles it serves (none: every node runs it), in {@code instances}
   * of the node's configuration, each on an event loop of its own.
   */
  public record Deployment(String name, Set<Role> roles, Supplier<Deployable> factory,
      ToIntFunction<NodeConfig> instances) {
    public Deployment {
      roles = Set.copyOf(roles);
    }

    Deployment(String name, Set<Role> roles, Supplier<Deployable> factory) {
      this(name, roles, factory, config -> 1);
    }
  }

  public static List<Deployment> forRoles(Set<Role> roles) {
    List<Deployment> out = new ArrayList<>();
    if (roles.contains(Role.MANAGEMENT)) {
      out.add(new Deployment("management", Set.of(Role.MANAGEMENT), ManagementVerticle::new));
      out.add(new Deployment("storage-repair", Set.of(Role.MANAGEMENT), StorageRepairVerticle::new));
      out.add(new Deployment("dispatch-registry", Set.of(Role.MANAGEMENT), DispatchRegistryVerticle::new));
    }
    if (roles.contains(Role.CACHE)) {
      out.add(new Deployment("channel-cache", Set.of(Role.CACHE), ChannelCacheVerticle::new));
      out.add(new Deployment("cache-cleaner", Set.of(Role.CACHE), CacheCleanerVerticle::new));
    }
    if (roles.contains(Role.CORE)) {
      out.add(new Deployment("core", Set.of(Role.CORE), CoreProcessingVerticle::new));
      out.add(new Deployment("sink-export", Set.of(Role.CORE), SinkExportVerticle::new));
    }
    if (roles.contains(Role.STORAGE)) {
      out.add(new Deployment("storage-replicator", Set.of(Role.STORAGE), StorageReplicatorVerticle::new));
      out.add(new Deployment("record-archive", Set.of(Role.STORAGE), RecordArchiveVerticle::new));
    }
    if (roles.contains(Role.GATEWAY)) {
      out.add(new Deployment("gateway", Set.of(Role.GATEWAY), GatewayRouterVerticle::new));
    }
    if (roles.contains(Role.EDGE)) {
      out.add(new Deployment("edge-result-hook", Set.of(Role.EDGE), EdgeResultHookVerticle::new));
    }
    if (roles.contains(Role.DISPATCH)) {
      out.add(new Deployment("dispatch", Set.of(Role.DISPATCH), DispatchVerticle::new));
    }
    if (roles.contains(Role.CONSOLE) || roles.contains(Role.EDGE)) {
      out.add(new Deployment("http-face", Set.of(Role.CONSOLE, Role.EDGE), ConsoleVerticle::new,
          NodeConfig::httpInstances));
    }
    out.add(new Deployment(AGENT, Set.of(), NodeAgentVerticle::new));
    return out;
  }

  /**
   * D9 restart: the deployments a restart cycles, in the order they stop: every one but the agent
   * (which runs the restart and reports it), the last started first, so the HTTP face stops taking
   * requests before the consumers behind it finish their work. They start again in reverse.
   */
  public static List<Deployment> stopOrder(List<Deployment> deployed) {
    List<Deployment> out = new ArrayList<>(deployed.stream().filter(d -> !d.name().equals(AGENT)).toList());
    java.util.Collections.reverse(out);
    return out;
  }
}
