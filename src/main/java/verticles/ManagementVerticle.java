package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.Principal;
import tributary.auth.Tokens;
import tributary.auth.UserStore;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.GrantChange;
import tributary.bus.Registered;
import tributary.bus.ProcessorConfigChange;
import tributary.bus.Envelope;
import tributary.bus.NodeDirectory;
import tributary.bus.NodeQuery;
import tributary.bus.NodeRegistration;
import tributary.bus.NodeStatus;
import tributary.bus.UserCreate;
import tributary.bus.UserCreated;
import tributary.config.NodeConfig;
import tributary.node.AddressPool;
import tributary.fault.BusFailures;
import tributary.fault.DatabaseFailures;
import tributary.fault.Refusal;
import tributary.processing.ProcessorChain;
import tributary.processing.ProcessorConfigStore;
import tributary.status.NodeStatusStore;
import tributary.status.StatusSeries;
import tributary.store.NodeStore;
import tributary.store.PartitionMaintenance;
import tributary.store.Pg;

/**
 * Management: the node registry (E1), users and their tokens (X3), and the administrator made at
 * first start. Several management nodes may run; they share PostgreSQL.
 */
public class ManagementVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementVerticle.class);
  /** A node not heard from for this long is shown as down; nodes re-register every few seconds. */
  static final long NODE_UP_WITHIN_MS = 15_000;
  /** How long the holder of a node id has to say it still runs before the id is given to another. */
  private static final long HOLDER_ANSWER_MS = 1_000;
  private static final long GRANT_PUSH_TIMEOUT_MS = 2_000;
  /** Task partitions are daily and made a week ahead (PartitionPlan): an hourly run is plenty. */
  private static final long PARTITION_MAINTENANCE_MS = 3_600_000;
  /** Priority an edge uses for records that name none (0 = most urgent). */

  private NodeStore nodes;
  private UserStore users;
  private ProcessorConfigStore processors;
  private NodeStatusStore statuses;
  private AddressPool addressPool;
  /** Each node id's registration under way; the next one of that id waits for it. */
  private final Map<String, Future<Void>> registering = new HashMap<>();

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    Pool pool = Pg.pool(vertx, config);
    nodes = new NodeStore(pool);
    addressPool = new AddressPool(config.addressPool());
    processors = new ProcessorConfigStore(pool);
    users = new UserStore(pool);
    statuses = new NodeStatusStore(pool);
    long retentionMs = config.status().retentionMs();
    PartitionMaintenance partitions = new PartitionMaintenance(pool, config.pgSchema(), config.taskRetentionDays());
    vertx.setPeriodic(1_000, PARTITION_MAINTENANCE_MS, t -> partitions.run(System.currentTimeMillis())
        .onSuccess(done -> LOG.debug("task partitions kept [created: {}, dropped: {}, kept open: {}]",
            done.created(), done.dropped(), done.keptOpen()))
        .onFailure(e -> LOG.warn("task partition maintenance failed [cause: {}]", e.getMessage())));
    vertx.setPeriodic(StatusSeries.sweepEveryMs(retentionMs), t -> statuses.sweep(StatusSeries.cutoff(
        System.currentTimeMillis(), retentionMs)).onFailure(e -> LOG.debug("status sweep failed: {}", e.getMessage())));
    EventBus bus = vertx.eventBus();
    return Future.join(List.of(
        installAdmin(config),
        bus.<NodeRegistration>consumer(Addresses.MANAGEMENT_REGISTER, this::register).completion(),
        bus.<NodeQuery>consumer(Addresses.MANAGEMENT_NODES, this::listNodes).completion(),
        bus.<NodeStatus>consumer(Addresses.MANAGEMENT_STATUS, m -> statuses.record(m.body(),
            StatusSeries.cutoff(System.currentTimeMillis(), retentionMs))
            .onFailure(e -> LOG.debug("status not kept [node: {}, cause: {}]", m.body().nodeId(), e.getMessage())))
            .completion(),
        bus.<UserCreate>consumer(Addresses.MANAGEMENT_USERS_CREATE, this::createUser).completion(),
        bus.<GrantChange>consumer(Addresses.MANAGEMENT_GRANTS, this::setGrant).completion(),
        bus.<ProcessorConfigChange>consumer(Addresses.MANAGEMENT_PROCESSORS, this::setProcessors).completion()));
  }

  private Future<Void> installAdmin(NodeConfig config) {
    String token = config.adminToken().orElseGet(Tokens::generate);
    return users.installAdmin(token, System.currentTimeMillis()).compose(installed -> {
      if (installed && config.adminToken().isEmpty()) {
        // Printed once, at the first start of the cluster; only its hash is kept.
        System.out.println("""

            ================================================================
             Tributary administrator token (shown once, keep it safe):
               %s
            ================================================================
            """.formatted(token));
      } else if (installed) {
        LOG.info("administrator installed from configuration [user: {}]", UserStore.ADMIN_ID);
      } else if (config.adminToken().isPresent()) {
        return users.adminHolds(token).map(held -> {
          if (!held) {
            LOG.warn("admin-token was NOT installed: this database already has an administrator, and the token is "
                + "not one of theirs [user: {}, schema: {}]. A configured token is only installed at the first "
                + "start; to replace a lost administrator token run `tributary admin reset-token` (README: "
                + "Command-line client)", UserStore.ADMIN_ID, config.pgSchema());
          }
          return null;
        });
      }
      return Future.<Void>succeededFuture();
    });
  }

  /**
   * E1: a registration takes the node id unless another running process holds it: the id's last
   * holder, if it registered lately under another instance, is asked whether it still lives, and
   * while it answers the newcomer is refused (409). A holder that does not answer (killed, frozen,
   * cut off) gives the id up, so a restart after a crash is never locked out.
   */
  private void register(Message<NodeRegistration> message) {
    // One registration of an id at a time: two processes starting together with one id would
    // otherwise both find it free and both be answered (the loser stepped back only at its next
    // registration, seconds later).
    String id = message.body().nodeId();
    Future<Void> mine = registering.getOrDefault(id, Future.succeededFuture()).eventually(() -> registerNow(message));
    registering.put(id, mine);
    mine.onComplete(ar -> registering.remove(id, mine));
  }

  private Future<Void> registerNow(Message<NodeRegistration> message) {
    NodeRegistration r = message.body();
    long now = System.currentTimeMillis();
    return nodes.holder(r.nodeId())
        .compose(holder -> holder == null || holder.instance() == null || holder.instance().equals(r.instance())
            || now - holder.lastSeenAt() > NODE_UP_WITHIN_MS
            ? Future.succeededFuture()
            : vertx.eventBus().request(Addresses.nodeInstance(holder.instance()), null,
                    new DeliveryOptions().setSendTimeout(HOLDER_ANSWER_MS))
                .transform(alive -> alive.succeeded()
                    ? Future.failedFuture(Refusal.of(409, "node id '" + r.nodeId() + "' is held by another running "
                        + "process (" + holder.httpUrl() + "); give this one another --node-id"))
                    : Future.succeededFuture()))
        .compose(v -> nodes.upsert(r, now))
        .compose(held -> assignAddress(r, held.poolAddress(), true)
            .compose(assigned -> nodes.grant(r.nodeId(), EdgeGrant.DEFAULT)
                .map(grant -> new Registered(held.nodeNumber(), assigned.address(), assigned.source().id(), grant))))
        .onSuccess(message::reply)
        .onFailure(e -> {
          if (e instanceof Refusal refusal && refusal.status() == 409) {
            LOG.warn("registration refused [node: {}, url: {}]: {}", r.nodeId(), r.httpUrl(), e.getMessage());
            BusFailures.fail(message, refusal);
            return;
          }
          LOG.warn("registration failed [node: {}]", r.nodeId(), e);
          BusFailures.fail(message, Refusal.of(500, "registration failed: " + e.getMessage()));
        })
        .mapEmpty();
  }

  /**
   * E1: the address the node is to be reached at. A pool address is chosen only when the node has
   * none from the pool; two nodes choosing the same one at once are kept apart by the column's
   * unique index, and the loser chooses again once.
   */
  private Future<AddressPool.Assignment> assignAddress(NodeRegistration r, String held, boolean mayRetry) {
    if (!addressPool.needsChoice(held)) {
      return Future.succeededFuture(addressPool.assign(held, java.util.Set.of(), r.httpUrl()));
    }
    return nodes.poolAddressesOfOthers(r.nodeId()).compose(taken -> {
      AddressPool.Assignment assigned = addressPool.assign(held, taken, r.httpUrl());
      String stored = assigned.source() == AddressPool.Source.POOL ? assigned.address() : null;
      if (assigned.source() == AddressPool.Source.POOL_EXHAUSTED) {
        LOG.warn("address pool exhausted; node reached at the address it reports [node: {}, address: {}]",
            r.nodeId(), r.httpUrl());
      }
      return nodes.setPoolAddress(r.nodeId(), stored)
          .onSuccess(v -> {
            if (stored != null) {
              LOG.info("address assigned [node: {}, address: {}]", r.nodeId(), stored);
            }
          })
          .map(assigned)
          .recover(e -> mayRetry && DatabaseFailures.uniqueViolation(e)
              ? assignAddress(r, held, false) : Future.failedFuture(e));
    });
  }

  private void listNodes(Message<NodeQuery> message) {
    nodes.list(message.body().role(), System.currentTimeMillis(), NODE_UP_WITHIN_MS)
        .onSuccess(list -> message.reply(new NodeDirectory(list)))
        .onFailure(e -> BusFailures.fail(message, Refusal.of(500, "node list failed: " + e.getMessage())));
  }

  private void createUser(Message<UserCreate> message) {
    UserCreate request = message.body();
    Principal.Kind kind = Principal.Kind.parse(request.kind());
    if (kind == null) {
      BusFailures.fail(message, Refusal.badRequest("kind must be user, edge or admin"));
      return;
    }
    users.create(request.userId(), kind, System.currentTimeMillis())
        .onSuccess(issued -> {
          LOG.info("user created [user: {}, kind: {}, token: {}]", request.userId(), kind.id(), issued.info().tokenId());
          message.reply(new UserCreated(request.userId(), kind.id(), issued.token(), issued.info().tokenId()));
        })
        .onFailure(e -> BusFailures.fail(message, Refusal.of(e instanceof UserStore.DuplicateException ? 409 : 500,
            e.getMessage())));
  }

  private void setGrant(Message<GrantChange> message) {
    GrantChange change = message.body();
    EdgeGrant grant = new EdgeGrant(change.grant().permittedTypes(), change.grant().defaultPriority(),
        Envelope.PROTOCOL_VERSION, System.currentTimeMillis(), change.grant().resultHook());
    nodes.putGrant(change.nodeId(), grant)
        .onFailure(e -> BusFailures.fail(message, Refusal.of(500, "grant failed: " + e.getMessage())))
        .onSuccess(v -> {
          LOG.info("grant set [node: {}, types: {}, priority: {}]", change.nodeId(), grant.permittedTypes(),
              grant.defaultPriority());
          // The answer waits for the node to apply the grant, so the next ingest already obeys it; a
          // node that is away gets it with its next registration.
          vertx.eventBus().request(Addresses.nodeGrant(change.nodeId()), grant,
                  new DeliveryOptions().setSendTimeout(GRANT_PUSH_TIMEOUT_MS))
              .onComplete(pushed -> message.reply(grant));
        });
  }

  private void setProcessors(Message<ProcessorConfigChange> message) {
    ProcessorConfigChange change = message.body();
    Future<?> write;
    if (change.config() == null) {
      write = processors.delete(change.dataType());
    } else {
      try {
        ProcessorChain.fromConfig(change.configJson());
      } catch (IllegalArgumentException | io.vertx.core.json.DecodeException e) {
        BusFailures.fail(message, Refusal.badRequest("processor configuration for '" + change.dataType() + "': "
            + e.getMessage()));
        return;
      }
      write = processors.put(change.dataType(), change.configJson(), System.currentTimeMillis());
    }
    write.onSuccess(v -> {
      LOG.info("processing configured [data type: {}, removed: {}]", change.dataType(), change.config() == null);
      vertx.eventBus().publish(Addresses.PROCESSORS_CHANGED, null);
      message.reply(change);
    }).onFailure(e -> BusFailures.fail(message, Refusal.of(500, "processor configuration failed: " + e.getMessage())));
  }
}
