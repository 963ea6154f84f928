package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.config.StorageConfig;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.placement.StoreLoad;
import tributary.storage.RepairBackoff;
import tributary.storage.RepairPlan;
import tributary.storage.RepairQueries;
import tributary.storage.StorageNodes;
import tributary.storage.TaskKind;
import tributary.storage.TaskStore;
import tributary.store.Pg;

/**
 * Management's side of storage (S4): takes the storage nodes' heartbeats, marks a silent node
 * down, and on a sweep plans mirror items for blobs with fewer readable copies than they
 * should have (spread over the live nodes), the most urgent blobs first, and recycle items for
 * extra copies left when a node comes back after its blobs were repaired; and fails the items of
 * plans whose time window closed before they started (S7).
 */
public class StorageRepairVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageRepairVerticle.class);
  private static final int BLOBS_PER_SWEEP = 500;
  /**
   * The periodic sweep's period. A node going down or coming back, a bad copy or a failed item
   * sweeps every blob at once; the periodic sweep only catches what no event announced, a page of
   * {@link #PAGE_BLOBS} blobs at a time, so that its cost stays flat as the catalog grows (a whole
   * sweep of 150,000 blobs kept PostgreSQL busy about a second of every period; a page of 20,000
   * took 0.27 s).
   */
  static final long PERIODIC_SWEEP_MS = 10_000;
  static final int PAGE_BLOBS = 10_000;
  private static final long MIN_SWEEP_GAP_MS = 250;
  /** Advisory lock key of the repair sweep ("trib" in ASCII). */
  private static final long SWEEP_LOCK = 0x74726962L;

  private StorageConfig storage;
  private Pool pool;
  private StorageNodes nodes;
  private RepairQueries repair;
  private TaskStore tasks;
  private final Random random = new Random();
  private boolean sweeping;
  private boolean sweepAgain;
  private long lastSweep;
  private boolean checking;
  /** Where the periodic sweep's next page starts (a blob id; "" for the catalog's start). */
  private String pageFrom = "";

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    storage = config.storage();
    pool = Pg.pool(vertx, config);
    nodes = new StorageNodes(pool);
    repair = new RepairQueries(pool);
    tasks = new TaskStore(pool);
    vertx.setPeriodic(Math.max(100, storage.heartbeatMs()), t -> {
      checkNodes();
      closeWindows();
    });
    vertx.setPeriodic(PERIODIC_SWEEP_MS, t -> sweepPage());
    vertx.eventBus().consumer(Addresses.STORAGE_CHANGED, m -> sweep());
    return vertx.eventBus().<StoreLoad>consumer(Addresses.STORAGE_HEARTBEAT, m -> nodes
            .heartbeat(m.body(), System.currentTimeMillis())
            .onSuccess(cameBack -> {
              m.reply(null);
              if (cameBack) {
                LOG.info("storage node back [node: {}]", m.body().storeId());
                sweep();
              }
            })
            .onFailure(e -> BusFailures.fail(m, Refusal.of(503, e.getMessage()))))
        .completion();
  }

  /** Marks silent nodes down; their items fail and their blobs are swept for repair at once. */
  private void checkNodes() {
    if (checking) {
      return;
    }
    checking = true;
    long now = System.currentTimeMillis();
    nodes.markSilentDown(now - storage.downMs(), now)
        .compose(down -> {
          if (down.isEmpty()) {
            return Future.succeededFuture();
          }
          LOG.warn("storage nodes marked down [nodes: {}, silent for: {} ms]", down, storage.downMs());
          return tasks.failItemsOn(down, now).onSuccess(failed -> sweep()).mapEmpty();
        })
        .onComplete(ar -> {
          checking = false;
          if (ar.failed()) {
            LOG.debug("storage node check failed [cause: {}]", ar.cause().getMessage());
          }
        });
  }

  /** Fails the items not started in their plan's window; repair hears of failed mirrors at once. */
  private void closeWindows() {
    tasks.closeWindows(System.currentTimeMillis())
        .onSuccess(failed -> {
          if (failed > 0) {
            LOG.info("task items failed, their window closed before they started [items: {}]", failed);
            vertx.eventBus().publish(Addresses.STORAGE_CHANGED, null);
          }
        })
        .onFailure(e -> LOG.debug("closing task windows failed [cause: {}]", e.getMessage()));
  }

  /** Sweeps now, or once the last sweep is {@link #MIN_SWEEP_GAP_MS} old, so failing items cannot spin it. */
  private void sweep() {
    long now = System.currentTimeMillis();
    if (sweeping || now - lastSweep < MIN_SWEEP_GAP_MS) {
      if (!sweepAgain) {
        sweepAgain = true;
        vertx.setTimer(sweeping ? MIN_SWEEP_GAP_MS : Math.max(1, MIN_SWEEP_GAP_MS - (now - lastSweep)), t -> {
          sweepAgain = false;
          sweep();
        });
      }
      return;
    }
    sweeping = true;
    lastSweep = now;
    sweepIn(null, now).onComplete(ar -> sweeping = false);
  }

  /** Sweeps the next page of the catalog, unless a sweep is under way; wraps round at its end. */
  private void sweepPage() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    long now = System.currentTimeMillis();
    lastSweep = now;
    repair.pageEnd(pageFrom, PAGE_BLOBS)
        .compose(end -> {
          if (end == null) {
            pageFrom = "";
            return Future.succeededFuture();
          }
          RepairQueries.Page page = new RepairQueries.Page(pageFrom, end);
          // a page with more shortfalls than one sweep plans is swept again before moving on
          return sweepIn(page, now).onSuccess(found -> pageFrom = found < BLOBS_PER_SWEEP ? end : pageFrom);
        })
        .onComplete(ar -> sweeping = false);
  }

  /**
   * Plans the repairs {@code page} needs (every blob when null) and tells the nodes once committed;
   * completes with the number of blobs found out of balance.
   */
  private Future<Integer> sweepIn(RepairQueries.Page page, long now) {
    // one management node sweeps at a time: the lock is held until the plans are committed, so
    // a second one never sees the same shortfall before the first one's items exist
    return pool.withTransaction(tx -> tx.query("SELECT pg_try_advisory_xact_lock(" + SWEEP_LOCK + ")").execute()
            .compose(rows -> !rows.iterator().next().getBoolean(0) ? Future.succeededFuture(Swept.NOTHING)
                : Future.all(repair.imbalanced(BLOBS_PER_SWEEP, now - 2 * RepairBackoff.MAX_DELAY_MS, page),
                        nodes.liveStores())
                    .compose(both -> {
                      List<RepairQueries.Imbalance> found = both.resultAt(0);
                      return plan(tx, found, both.resultAt(1), now).map(told -> new Swept(found.size(), told));
                    })))
        .onSuccess(swept -> swept.told().forEach(id -> vertx.eventBus().publish(Addresses.storageTasks(id), null)))
        .onFailure(e -> LOG.debug("storage sweep failed [cause: {}]", e.getMessage()))
        .map(Swept::found);
  }

  /** What a sweep found out of balance, and the nodes it gave new items. */
  private record Swept(int found, List<String> told) {
    static final Swept NOTHING = new Swept(0, List.of());
  }

  /** Plans the repairs and returns the nodes that have new items, to tell once committed. */
  private Future<List<String>> plan(SqlConnection tx, List<RepairQueries.Imbalance> imbalanced, List<StoreLoad> live,
                            long now) {
    if (imbalanced.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    RepairPlan plan = RepairPlan.of(imbalanced, live, now, random, storage.room());
    List<TaskStore.Planned> mirrors = plan.mirrors();
    List<TaskStore.Planned> extras = plan.extras();
    Future<Void> planned = Future.succeededFuture();
    if (!mirrors.isEmpty()) {
      planned = planned.compose(v -> TaskStore.plan(tx, "repair-" + Ids.newId(), TaskKind.MIRROR, null,
          new JsonObject().put("reason", "repair"), "management", now, mirrors));
      LOG.info("repair planned [copies: {}, blobs: {}]", mirrors.size(),
          mirrors.stream().map(TaskStore.Planned::blobId).distinct().count());
    }
    if (!extras.isEmpty()) {
      planned = planned.compose(v -> TaskStore.plan(tx, "reconcile-" + Ids.newId(), TaskKind.RECYCLE, null,
          new JsonObject().put("reason", "reconcile"), "management", now, extras));
      LOG.info("extra copies to drop after a node came back [copies: {}]", extras.size());
    }
    return planned.map(v -> plan.nodesToTell());
  }
}
