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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.archive.StorageArchive;
import tributary.archive.RecordArchive;
import tributary.bus.Addresses;
import tributary.cache.CommittedRecords;
import tributary.bus.CommitReceipt;
import tributary.bus.CoreBatch;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.export.SinkStore;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.node.LogIds;
import tributary.node.Metrics;
import tributary.processing.AggregateSpec;
import tributary.processing.AggregateWindowStore;
import tributary.processing.AggregateWindowStore.Window;
import tributary.processing.CommitLanes;
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
  /** Records one statement takes from the lanes; a larger edge batch goes alone. */
  private static final int MAX_RECORDS_PER_STATEMENT = 2000;
  /**
   * Append statements at once. They never share a channel (CommitLanes), so they do not wait on
   * each other's locks; two carry every channel between them, since each statement costs the
   * database much more than one of its rows (measured with 1, 2 and 4: 2 was best, issue 16).
   */
  private static final int STATEMENTS_IN_FLIGHT = 2;
  /** Statements made again when another one stored one of their ids at the same time. */
  private static final int RACE_RETRIES = 3;

  private String nodeId;
  private CommittedRecords committedRecords;
  private Pool pool;
  private Pool appendPool;
  private Timer commitTime;
  private Timer cacheTime;
  private Timer laneWait;
  private CommitLanes<Item> lanes;
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
    laneWait = Metrics.timer(registry, "tributary.core.wait",
        "time an edge batch waits in core for the statements before it on its channels");
    lanes = new CommitLanes<>(item -> item.part().channels(), item -> item.part().toAppend().size(),
        MAX_RECORDS_PER_STATEMENT, STATEMENTS_IN_FLIGHT);
    appendPool = Pg.appendPool(vertx, config, STATEMENTS_IN_FLIGHT);
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
    CorePlan plan = CorePlan.of(batch, this::chainFor, System.currentTimeMillis());
    if (plan.parts().isEmpty()) {
      message.reply(plan.receipt(null));
      return;
    }
    Job job = new Job(plan, message, plan.parts().size(), System.nanoTime());
    plan.parts().forEach(part -> lanes.add(new Item(job, part)));
    startGroups();
  }

  /** Starts every statement the lanes allow now (see {@link CommitLanes}). */
  private void startGroups() {
    for (CommitLanes.Group<Item> group : lanes.take()) {
      commitGroup(group, 0);
    }
  }

  /**
   * Commits one group's items in one statement and answers each batch whose last part it was.
   * The records go to the channel cache and the live readers after that, off the answer's path:
   * readers take what the cache lacks from PostgreSQL.
   */
  private void commitGroup(CommitLanes.Group<Item> group, int attempt) {
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    List<Envelope> envelopes = new ArrayList<>(group.size());
    List<String> gateways = new ArrayList<>(group.size());
    Set<Window> windows = new LinkedHashSet<>();
    for (Item item : group.items()) {
      if (attempt == 0) {
        laneWait.record(started - item.job().arrivedNanos, TimeUnit.NANOSECONDS);
      }
      List<Envelope> part = item.part().toAppend();
      envelopes.addAll(part);
      gateways.addAll(Collections.nCopies(part.size(), item.job().message.body().gateway()));
      // E5: an input counts in the window of its commit time, stamped below
      item.part().windows().forEach(kind -> windows.add(kind.at(now)));
    }
    batchSize.record(envelopes.size());
    append(envelopes, gateways, windows, now, group.items().get(0).part()).onComplete(ar -> {
      if (ar.failed() && RecordStore.raced(ar.cause()) && attempt < RACE_RETRIES) {
        // Another statement stored one of these ids meanwhile (a retry through another gateway or
        // core): once it has committed, this one finds the id stored and answers it as a duplicate.
        commitGroup(group, attempt + 1);
        return;
      }
      lanes.done(group);
      if (ar.succeeded()) {
        RecordStore.Appended appended = ar.result();
        commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        recordsCommitted.increment(appended.newRecords().size());
        long cached = System.nanoTime();
        committedRecords.announce(appended.newByChannel())
            .onComplete(v -> cacheTime.record(System.nanoTime() - cached, TimeUnit.NANOSECONDS));
        group.items().forEach(item -> item.job().committed(appended.receipt()));
        if (LOG.isDebugEnabled()) {
          group.items().forEach(CoreProcessingVerticle::logCommitted);
        }
        handOff(appended.newRecords());
      } else {
        group.items().forEach(item -> item.job().failed(ar.cause()));
      }
      startGroups();
    });
  }

  /**
   * Commits the records, queuing them for sinks when a sink may exist. The append is one
   * statement: without windows to mark it needs no transaction. An append made while no sink was
   * expected fails as a whole if one appeared, and is made again queuing for sinks (E8).
   */
  private Future<RecordStore.Appended> append(List<Envelope> envelopes, List<String> gateways, Set<Window> windows,
      long now, CorePlan.Part first) {
    boolean queueForSinks = sinksMayExist;
    Future<RecordStore.Appended> committed = windows.isEmpty()
        ? RecordStore.appendToPool(appendPool, envelopes, gateways, nodeId, now, queueForSinks)
        : appendPool.withTransaction(conn -> RecordStore.appendIn(conn, envelopes, gateways, nodeId, now, queueForSinks)
            .compose(appended -> AggregateWindowStore.mark(conn, windows).map(appended)));
    return committed.recover(e -> {
      if (queueForSinks || !RecordStore.sinksAppeared(e)) {
        return Future.failedFuture(e);
      }
      LogIds.record(LOG.atInfo(), first.firstId(), first.requestId()).log(
          "a sink appeared; appends queue for sinks [first envelope: {}, request: {}]", first.firstId(),
          first.requestId());
      sinksMayExist = true;
      return append(envelopes, gateways, windows, now, first);
    });
  }

  /** One edge batch's part waiting for its statement. */
  private record Item(Job job, CorePlan.Part part) {}

  /** The DEBUG line of an edge batch's committed part: its first record, its request, its size and its gateway (X4). */
  private static void logCommitted(Item item) {
    CorePlan.Part part = item.part();
    LogIds.record(LOG.atDebug(), part.firstId(), part.requestId()).log("committed [envelope: {}, request: {}, "
        + "envelopes: {}, gateway: {}]", part.firstId(), part.requestId(), part.toAppend().size(),
        item.job().message.body().gateway());
  }

  /**
   * A forwarded batch whose parts commit in statements of their own; answered once every part
   * has: with the receipts, or, if any part failed, with that failure (the gateway redelivers
   * and the parts already committed are answered as duplicates).
   */
  private final class Job {
    private final CorePlan plan;
    private final Message<CoreBatch> message;
    private final long arrivedNanos;
    private final List<CommitReceipt.Committed> receipts = new ArrayList<>();
    private int open;
    private Throwable failure;

    Job(CorePlan plan, Message<CoreBatch> message, int parts, long arrivedNanos) {
      this.plan = plan;
      this.message = message;
      this.open = parts;
      this.arrivedNanos = arrivedNanos;
    }

    void committed(CommitReceipt receipt) {
      receipts.addAll(receipt.records());
      partDone();
    }

    void failed(Throwable e) {
      failure = failure == null ? e : failure;
      partDone();
    }

    private void partDone() {
      if (--open > 0) {
        return;
      }
      if (failure == null) {
        message.reply(plan.receipt(new CommitReceipt(receipts)));
        return;
      }
      String first = plan.parts().get(0).firstId();
      int envelopes = plan.parts().stream().mapToInt(p -> p.toAppend().size()).sum();
      // The forward carries several requests' batches: the line names each request.
      String requests = plan.parts().stream().map(CorePlan.Part::requestId).distinct()
          .collect(Collectors.joining(","));
      // Parts that committed before another failed make the outcome unknown, never a refusal.
      boolean someCommitted = !receipts.isEmpty();
      if (!someCommitted && DatabaseFailures.notReached(failure)) {
        LogIds.record(LOG.atWarn(), first, requests).log("commit refused, database unreachable [first envelope: {}, "
            + "requests: {}, envelopes: {}, cause: {}]", first, requests, envelopes, failure.getMessage());
        BusFailures.fail(message, Refusal.of(503, "the database cannot be reached; nothing was committed, retry later"));
        return;
      }
      LogIds.record(LOG.atWarn(), first, requests).setCause(failure).log(
          "commit failed [first envelope: {}, requests: {}, envelopes: {}]", first, requests, envelopes);
      BusFailures.fail(message, Refusal.of(
          someCommitted || DatabaseFailures.mayHaveCommitted(failure) ? BusFailures.OUTCOME_UNKNOWN : 500,
          "commit failed: " + failure.getMessage()));
    }
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
