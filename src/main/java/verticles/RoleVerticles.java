package verticles;

import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tributary.config.Role;

/**
 * The one place that says which verticles a role deploys, in start order: stores and consumers
 * before the HTTP face that calls them.
 */
public final class RoleVerticles {
  private RoleVerticles() {}

  /** The deployment of the node agent, which runs on every node and outlives a restart (D9). */
  public static final String AGENT = "node-agent";

  /** A verticle to deploy and the role that asked for it. */
  public record Deployment(String name, Supplier<Deployable> factory) {}

  public static List<Deployment> forRoles(Set<Role> roles) {
    List<Deployment> out = new ArrayList<>();
    if (roles.contains(Role.MANAGEMENT)) {
      out.add(new Deployment("management", ManagementVerticle::new));
      out.add(new Deployment("storage-repair", StorageRepairVerticle::new));
      out.add(new Deployment("dispatch-registry", DispatchRegistryVerticle::new));
    }
    if (roles.contains(Role.CACHE)) {
      out.add(new Deployment("channel-cache", ChannelCacheVerticle::new));
      out.add(new Deployment("cache-cleaner", CacheCleanerVerticle::new));
    }
    if (roles.contains(Role.CORE)) {
      out.add(new Deployment("core", CoreProcessingVerticle::new));
      out.add(new Deployment("sink-export", SinkExportVerticle::new));
    }
    if (roles.contains(Role.STORAGE)) {
      out.add(new Deployment("storage-replicator", StorageReplicatorVerticle::new));
      out.add(new Deployment("record-archive", RecordArchiveVerticle::new));
    }
    if (roles.contains(Role.GATEWAY)) {
      out.add(new Deployment("gateway", GatewayRouterVerticle::new));
    }
    if (roles.contains(Role.EDGE)) {
      out.add(new Deployment("edge-ingest", EdgeIngestVerticle::new));
      out.add(new Deployment("edge-result-hook", EdgeResultHookVerticle::new));
    }
    if (roles.contains(Role.DISPATCH)) {
      out.add(new Deployment("dispatch", DispatchVerticle::new));
    }
    if (roles.contains(Role.CONSOLE) || roles.contains(Role.EDGE)) {
      out.add(new Deployment("http-face", ConsoleVerticle::new));
    }
    out.add(new Deployment(AGENT, NodeAgentVerticle::new));
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
