package tributary;

import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tributary.config.Role;
import verticles.CacheCleanerVerticle;
import verticles.ChannelCacheVerticle;
import verticles.ConsoleVerticle;
import verticles.CoreProcessingVerticle;
import verticles.DispatchRegistryVerticle;
import verticles.DispatchVerticle;
import verticles.EdgeIngestVerticle;
import verticles.GatewayRouterVerticle;
import verticles.ManagementVerticle;
import verticles.NodeAgentVerticle;
import verticles.RecordArchiveVerticle;
import verticles.SinkExportVerticle;
import verticles.StorageRepairVerticle;
import verticles.StorageReplicatorVerticle;

/**
 * The one place that says which verticles a role deploys, in start order: stores and consumers
 * before the HTTP face that calls them.
 */
public final class RoleVerticles {
  private RoleVerticles() {}

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
    }
    if (roles.contains(Role.DISPATCH)) {
      out.add(new Deployment("dispatch", DispatchVerticle::new));
    }
    if (roles.contains(Role.CONSOLE) || roles.contains(Role.EDGE)) {
      out.add(new Deployment("http-face", ConsoleVerticle::new));
    }
    out.add(new Deployment("node-agent", NodeAgentVerticle::new));
    return out;
  }
}
