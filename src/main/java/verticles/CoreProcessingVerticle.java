package verticles;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.archive.StorageArchive;
import tributary.archive.RecordArchive;
import tributary.bus.Addresses;
import tributary.cache.CommittedRecords;
import tributary.bus.CoreBatch;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.export.SinkStore;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.node.Metrics;
import tributary.processing.AggregateSpec;
import tributary.processing.AggregateWindowStore;
import tributary.processing.AggregateWindowStore.Window;
import tributary.processing.CorePlan;
import tributary.processing.ProcessorChain;
import tributary.processing.ProcessorConfigStore;
import tributary.processing.WindowResults;
import tributary.fault.DatabaseFailures;
import tributary.store.Pg;
import tributary.store.RecordStore;

/**
 * Core processing (E5): runs each data type's processors on forwarded batches, commits inputs and
 * their results in one PostgreSQL transaction (dense cursors, duplicates answered with their first
 * cursor), hands new records to the channel cache, and only then acknowledges. A timer closes due
 * aggregate windows the same way.
 */
public class CoreProcessingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CoreProcessingVerticle.class);
  private static final long RELOAD_EVERY_MS = 5000;
  private static final long WINDOW_TICK_MS = 250;
  /**
   * A window closes this long after its end: commit times are taken just before a transaction
   * starts, so an input stamped inside the window may commit slightly after its end.
   */
  static final long WINDOW_GRACE_MS = 1000;
  private static final int WINDOWS_PER_TICK = 20;

  private String nodeId;
  private CommittedRecords committedRecords;
  private Pool pool;
  private Timer commitTime;
  private Timer cacheTime;
  private DistributionSummary batchSize;
  private io.micrometer.core.instrument.Counter recordsCommitted;
  private ProcessorConfigStore configs;
  private RecordArchive archive;
  private volatile Map<String, ProcessorChain> chains = Map.of();
  private boolean closingWindows;
  private SinkStore sinks;
  /**
   * False only while the last look found no sink: appends then skip the outbox. Looked at every
   * few seconds (so deleting the last sink takes effect) and set again by a failed append.
   */
  private boolean sinksMayExist = true;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    nodeId = config.nodeId();
    committedRecords = new CommittedRecords(vertx, config);
    pool = Pg.pool(vertx, config);
    MeterRegistry registry = Metrics.registry(config);
    commitTime = Metrics.timer(registry, "tributary.core.commit", "PostgreSQL transaction of one forwarded batch");
    cacheTime = Metrics.timer(registry, "tributary.core.cache", "Redis append after a commit");
    batchSize = Metrics.summary(registry, "tributary.core.batch.records", "records committed per transaction");
    recordsCommitted = Metrics.counter(registry, "tributary.records.committed",
        "records (inputs and results) committed to PostgreSQL, de-duplicated ones not counted");
    configs = new ProcessorConfigStore(pool);
    sinks = new SinkStore(pool);
    archive = new StorageArchive(vertx, pool, config.pgHostPort());
    vertx.setPeriodic(RELOAD_EVERY_MS, t -> {
      reloadChains();
      lookForSinks();
    });
    vertx.setPeriodic(WINDOW_TICK_MS, t -> closeDueWindows());
    return Future.join(
        reloadChains(),
        lookForSinks(),
        vertx.eventBus().consumer(Addresses.PROCESSORS_CHANGED, m -> reloadChains()).completion(),
        vertx.eventBus().<CoreBatch>consumer(Addresses.CORE_IN, this::commit).completion());
  }

  private Future<Void> lookForSinks() {
    return sinks.any().onSuccess(any -> sinksMayExist = any)
        .onFailure(e -> LOG.warn("sink look-up failed: {}", e.getMessage())).mapEmpty();
  }

  private Future<Void> reloadChains() {
    return configs.all().map(all -> {
      Map<String, ProcessorChain> next = new HashMap<>();
      all.forEach((type, json) -> {
        try {
          next.put(type, ProcessorChain.fromConfig(json));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignoring invalid processor configuration [data type: {}, reason: {}]", type, e.getMessage());
        }
      });
      chains = next;
      return (Void) null;
    }).onFailure(e -> LOG.warn("processor configuration reload failed: {}", e.getMessage()));
  }

  private ProcessorChain chainFor(String dataType) {
    return chains.getOrDefault(dataType, ProcessorChain.NONE);
  }

  private void commit(Message<CoreBatch> message) {
    CoreBatch batch = message.body();
    long now = System.currentTimeMillis();
    CorePlan plan = CorePlan.of(batch, this::chainFor, now);
    RecordStore.Route route = new RecordStore.Route(batch.gateway(), nodeId);
    if (plan.toAppend().isEmpty()) {
      message.reply(plan.receipt(null));
      return;
    }
    long started = System.nanoTime();
    batchSize.record(plan.toAppend().size());
    append(plan, route, now)
        .onSuccess(v -> {
          commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          recordsCommitted.increment(v.newByChannel().values().stream().mapToInt(java.util.List::size).sum());
        })
        .compose(appended -> {
          long cached = System.nanoTime();
          return committedRecords.announce(appended.newByChannel())
              .onComplete(v -> cacheTime.record(System.nanoTime() - cached, TimeUnit.NANOSECONDS))
              .map(appended);
        })
        .onSuccess(appended -> {
          message.reply(plan.receipt(appended.receipt()));
          handOff(appended.newRecords());
        })
        .onFailure(e -> {
          if (DatabaseFailures.notReached(e)) {
            LOG.warn("commit refused, database unreachable [first envelope: {}, envelopes: {}, cause: {}]",
                plan.toAppend().get(0).id(), plan.toAppend().size(), e.getMessage());
            BusFailures.fail(message, Refusal.of(503, "the database cannot be reached; nothing was committed, retry later"));
            return;
          }
          LOG.warn("commit failed [first envelope: {}, envelopes: {}]", plan.toAppend().get(0).id(),
              plan.toAppend().size(), e);
          BusFailures.fail(message, Refusal.of(DatabaseFailures.mayHaveCommitted(e) ? BusFailures.OUTCOME_UNKNOWN : 500,
              "commit failed: " + e.getMessage()));
        });
  }

  /**
   * Commits the plan's records, queuing them for sinks when a sink may exist. The append is one
   * statement: without windows to mark it needs no transaction. An append made while no sink was
   * expected fails as a whole if one appeared, and is made again queuing for sinks (E8).
   */
  private Future<RecordStore.Appended> append(CorePlan plan, RecordStore.Route route, long now) {
    boolean queueForSinks = sinksMayExist;
    Future<RecordStore.Appended> committed = plan.windows().isEmpty()
        ? RecordStore.appendIn(pool, plan.toAppend(), now, route, queueForSinks)
        : pool.withTransaction(conn -> RecordStore.appendIn(conn, plan.toAppend(), now, route, queueForSinks)
            .compose(appended -> AggregateWindowStore.mark(conn, plan.windows()).map(appended)));
    return committed.recover(e -> {
      if (queueForSinks || !RecordStore.sinksAppeared(e)) {
        return Future.failedFuture(e);
      }
      LOG.info("a sink appeared; appends queue for sinks [first envelope: {}]", plan.toAppend().get(0).id());
      sinksMayExist = true;
      return append(plan, route, now);
    });
  }

  /** Closes due windows, each in its own transaction with its result; one tick at a time per verticle. */
  private void closeDueWindows() {
    if (closingWindows) {
      return;
    }
    closingWindows = true;
    long now = System.currentTimeMillis();
    Map<String, List<StoredRecord>> produced = new LinkedHashMap<>();
    pool.withTransaction(conn -> AggregateWindowStore.claimDue(conn, now - WINDOW_GRACE_MS, WINDOWS_PER_TICK)
            .compose(windows -> {
              Future<Void> chain = Future.succeededFuture();
              for (Window w : windows) {
                chain = chain.compose(v -> closeWindow(conn, w, now, produced));
              }
              return chain;
            }))
        .compose(v -> committedRecords.announce(produced))
        .onSuccess(v -> produced.values().forEach(this::handOff))
        .onFailure(e -> LOG.warn("closing aggregate windows failed: {}", e.getMessage()))
        .onComplete(ar -> closingWindows = false);
  }

  private Future<Void> closeWindow(SqlConnection conn, Window w, long now, Map<String, List<StoredRecord>> produced) {
    AggregateSpec spec = chainFor(w.dataType()).aggregate();
    if (spec == null) {
      return AggregateWindowStore.delete(conn, w);
    }
    return RecordStore.readWindow(conn, w.channel(), w.dataType(), w.start(), w.start() + w.lengthMs())
        .compose(inputs -> {
          List<Envelope> results = WindowResults.of(w, spec, inputs, now);
          if (results.isEmpty()) {
            return Future.succeededFuture();
          }
          return RecordStore.appendIn(conn, results, now, new RecordStore.Route(null, nodeId), true)
              .map(appended -> {
            appended.newByChannel().forEach((c, list) -> produced.computeIfAbsent(c, k -> new ArrayList<>())
                .addAll(list));
            LOG.info("aggregate window closed [channel: {}, data type: {}, start: {}, inputs: {}]", w.channel(),
                w.dataType(), w.start(), inputs.size());
            return (Void) null;
          });
        })
        .compose(v -> AggregateWindowStore.delete(conn, w));
  }

  /** Storage hand-off (E7) after the acknowledgement: the records are already durable in PostgreSQL. */
  private void handOff(List<StoredRecord> committed) {
    if (!committed.isEmpty()) {
      archive.archive(committed).onFailure(e -> LOG.warn("storage hand-off failed [first record: {}, cause: {}]",
          committed.get(0).id(), e.getMessage()));
    }
  }
}
