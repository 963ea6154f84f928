package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.config.NodeConfig;
import tributary.dispatch.DispatchMessages.UserBinding;
import tributary.dispatch.DispatchMessages.WorkerRegistered;
import tributary.dispatch.DispatchMessages.WorkerRegistration;
import tributary.dispatch.TopologyStore;
import tributary.fault.BusFailures;
import tributary.store.Pg;

/**
 * Management's part of dispatch (D1): numbers workers as they register, binds users to workers,
 * and tells every worker when the topology changed.
 */
public class DispatchRegistryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchRegistryVerticle.class);
  private TopologyStore topology;

  @Override
  public Future<?> start() {
    topology = new TopologyStore(Pg.pool(vertx, NodeConfig.fromJson(config())));
    return Future.all(
        vertx.eventBus().<WorkerRegistration>consumer(Addresses.DISPATCH_REGISTER, this::register).completion(),
        vertx.eventBus().<UserBinding>consumer(Addresses.DISPATCH_BIND, this::bind).completion());
  }

  private void register(Message<WorkerRegistration> message) {
    WorkerRegistration w = message.body();
    topology.register(w.nodeId(), w.httpUrl(), System.currentTimeMillis()).onSuccess(registered -> {
      if (registered.changed()) {
        LOG.info("dispatch worker registered [node: {}, worker: {}, address: {}]", w.nodeId(), registered.number(),
            w.httpUrl());
        vertx.eventBus().publish(Addresses.DISPATCH_TOPOLOGY_CHANGED, null);
      }
      message.reply(new WorkerRegistered(registered.number()));
    }).onFailure(e -> BusFailures.fail(message, e));
  }

  private void bind(Message<UserBinding> message) {
    UserBinding b = message.body();
    topology.bind(b.userId(), b.worker(), System.currentTimeMillis()).onSuccess(worker -> {
      if (worker != null) {
        LOG.info("user bound [user: {}, worker: {}]", b.userId(), worker);
        vertx.eventBus().publish(Addresses.DISPATCH_TOPOLOGY_CHANGED, null);
      }
      message.reply(new UserBinding(b.userId(), worker));
    }).onFailure(e -> BusFailures.fail(message, e));
  }
}
