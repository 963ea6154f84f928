package verticles;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.NodeState;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.NodeRegistration;
import tributary.config.NodeConfig;

/**
 * Runs on every node: registers it with management at start (E1) and again every few seconds, which
 * doubles as its heartbeat, and keeps the grant management answers with for the node's verticles.
 * Registration is retried until management answers, so nodes may start in any order.
 */
public class NodeAgentVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentVerticle.class);
  static final long REGISTER_EVERY_MS = 5_000;
  private static final long RETRY_MS = 500;

  private NodeRegistration registration;
  private boolean registered;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    vertx.eventBus().<EdgeGrant>consumer(Addresses.nodeGrant(config.nodeId()),
        m -> {
          NodeState.setGrant(vertx, m.body());
          m.reply(null);
        });
    return vertx.executeBlocking(() -> describe(config)).onSuccess(r -> {
      registration = r;
      register();
    });
  }

  private static NodeRegistration describe(NodeConfig config) throws IOException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Files.createDirectories(config.dataDir());
    long disk = Files.getFileStore(config.dataDir()).getTotalSpace();
    return new NodeRegistration(config.nodeId(), config.roles().stream().map(r -> r.id()).toList(), config.site(),
        config.publicUrl(), Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(), disk);
  }

  private void register() {
    vertx.eventBus().<EdgeGrant>request(Addresses.MANAGEMENT_REGISTER, registration,
            new DeliveryOptions().setSendTimeout(REGISTER_EVERY_MS))
        .onSuccess(reply -> {
          NodeState.setGrant(vertx, reply.body());
          if (!registered) {
            registered = true;
            LOG.info("registered with management [node: {}, roles: {}]", registration.nodeId(), registration.roles());
          }
          vertx.setTimer(REGISTER_EVERY_MS, t -> register());
        })
        .onFailure(e -> {
          LOG.debug("registration not answered [node: {}, cause: {}]", registration.nodeId(), e.getMessage());
          vertx.setTimer(registered ? REGISTER_EVERY_MS : RETRY_MS, t -> register());
        });
  }
}
