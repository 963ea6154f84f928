package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.Envelope;
import tributary.cache.CommittedRecords;
import tributary.config.DispatchConfig;
import tributary.config.NodeConfig;
import tributary.dispatch.Bindings;
import tributary.dispatch.DispatchMessages.Accepted;
import tributary.dispatch.DispatchMessages.Delivered;
import tributary.dispatch.DispatchMessages.DeliveryBatch;
import tributary.dispatch.DispatchMessages.Submit;
import tributary.dispatch.DispatchMessages.Task;
import tributary.dispatch.DispatchMessages.WorkerRegistered;
import tributary.dispatch.DispatchMessages.WorkerRegistration;
import tributary.dispatch.DispatchQueues;
import tributary.dispatch.DispatchStore;
import tributary.dispatch.TaskIds;
import tributary.dispatch.TopologyStore;
import tributary.dispatch.TopologyView;
import tributary.dispatch.UserQueues;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.node.LogIds;
import tributary.node.NodeState;
import tributary.store.Pg;
import tributary.store.RecordStore;

/**
 * A dispatch worker (section D). As the sender's worker it takes send_data tasks of its users,
 * stores each before answering, and delivers them in batches per destination worker, highest
 * levels first, retrying a destination that fails with backoff until it takes them (D2-D4, D6).
 * As the destination's worker it puts delivered tasks into its users' queues, once each (D5).
 * Its number comes from management and is kept across restarts; what it had not delivered when it
 * stopped is read back from PostgreSQL at start.
 */
public class DispatchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchVerticle.class);
  /**
   * One batch out per destination at a time: batches then arrive in the order they were taken
   * (priority order), a failed one goes back to the head with nothing taken after it, and tasks
   * that come meanwhile wait to travel together in the next batch.
   */
  private static final int MAX_IN_FLIGHT = 1;
  /** Data per batch: a batch of large tasks is cut short so one bus message stays a few MiB. */
  private static final long MAX_BATCH_BYTES = 4L << 20;
  private static final long REGISTER_RETRY_MS = 500;
  private static final long GAUGE_PERIOD_MS = 2_000;

  private NodeConfig config;
  private DispatchConfig settings;
  private Pool pool;
  private DispatchStore store;
  private TopologyStore topologyStore;
  private final TopologyView topology = new TopologyView();
  private DispatchQueues<Task> queues;
  private CommittedRecords committed;
  private int number = -1;
  private TaskIds taskIds;
  private int inFlight;
  private final List<Submitted> submitted = new ArrayList<>();
  private boolean storing;

  private io.micrometer.core.instrument.Counter delivered;
  private io.micrometer.core.instrument.Counter retried;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    settings = config.dispatch();
    pool = Pg.pool(vertx, config);
    store = new DispatchStore(pool);
    topologyStore = new TopologyStore(pool);
    var registry = tributary.node.Metrics.registry(config);
    delivered = tributary.node.Metrics.counter(registry, "tributary.dispatch.delivered",
        "dispatch tasks taken by their destination worker");
    retried = tributary.node.Metrics.counter(registry, "tributary.dispatch.retries",
        "dispatch tasks whose delivery failed and is retried with backoff (D6)");
    committed = new CommittedRecords(vertx, config);
    queues = new DispatchQueues<>(Envelope.LOWEST_PRIORITY + 1, settings.queueCapacity(), settings.agingStepMs(),
        settings.retry(), task -> task.payload().length);
    vertx.eventBus().consumer(Addresses.DISPATCH_TOPOLOGY_CHANGED, m -> refreshTopology());
    vertx.setPeriodic(settings.topologyRefreshMs(), t -> refreshTopology());
    vertx.setPeriodic(GAUGE_PERIOD_MS, t -> publishGauges());
    register();
    return refreshTopology();
  }

  /** Asks management for this node's worker number until it answers, then starts serving. */
  private void register() {
    vertx.eventBus().<WorkerRegistered>request(Addresses.DISPATCH_REGISTER,
            new WorkerRegistration(config.nodeId(), config.publicUrl()))
        .onSuccess(reply -> serve(reply.body().number()))
        .onFailure(e -> {
          LOG.debug("worker registration not answered [node: {}, cause: {}]", config.nodeId(), e.getMessage());
          vertx.setTimer(REGISTER_RETRY_MS, t -> register());
        });
  }

  /**
   * Takes deliveries at once; takes new tasks only once what was left undelivered is queued again,
   * so no task is queued twice.
   */
  private void serve(int workerNumber) {
    number = workerNumber;
    taskIds = new TaskIds(number);
    vertx.eventBus().<DeliveryBatch>consumer(Addresses.dispatchDeliver(number), this::deliver);
    resumeBacklog();
  }

  private void resumeBacklog() {
    store.backlog(number).compose(backlog -> queueAgain(backlog).map(backlog.size()))
        .onSuccess(n -> {
          vertx.eventBus().<Submit>consumer(Addresses.dispatchSubmit(number), this::submit);
          LOG.info("dispatch worker serving [node: {}, worker: {}, tasks to deliver: {}]", config.nodeId(), number, n);
          pump();
        })
        .onFailure(e -> {
          LOG.warn("reading the undelivered tasks failed, trying again [worker: {}, cause: {}]", number, e.getMessage());
          vertx.setTimer(REGISTER_RETRY_MS, t -> resumeBacklog());
        });
  }

  /** Queues the tasks found undelivered at start, each toward its destination's worker. */
  private Future<Void> queueAgain(List<Task> backlog) {
    Future<Void> chain = Future.succeededFuture();
    for (Task t : backlog) {
      chain = chain.compose(v -> destinationOf(t.dest()).map(d -> {
        queues.add(d, t.level(), t, t.createdAt());
        return null;
      }));
    }
    return chain;
  }

  private Future<Void> refreshTopology() {
    return topologyStore.read(System.currentTimeMillis()).onSuccess(topology::offer)
        .onFailure(e -> LOG.warn("topology refresh failed: {}", e.getMessage())).mapEmpty();
  }

  /** The worker a user is bound to; an unbound user is bound now to the least-loaded live worker. */
  private Future<Integer> destinationOf(String userId) {
    Integer known = topology.current().workerOf(userId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return Bindings.required(vertx.eventBus(), userId);
  }

  /** D2-D4: takes a task if its level has room; it is answered once stored (see {@link #storeSubmitted}). */
  private void submit(Message<Submit> message) {
    Submit s = message.body();
    destinationOf(s.dest()).onFailure(e -> BusFailures.fail(message, e)).onSuccess(destination -> {
      if (!queues.reserve(destination, s.level())) {
        BusFailures.fail(message, Refusal.of(429, "the dispatch queue for level " + s.level() + " toward worker "
            + destination + " is full; retry later"));
        return;
      }
      long now = System.currentTimeMillis();
      Task task = new Task(taskIds.next(now), s.sender(), s.dest(), s.dataType(), s.level(), s.contentType(),
          s.payload(), now, number);
      submitted.add(new Submitted(message, destination,
          new DispatchStore.NewTask(task, s.via(), queues.failures(destination) > 0)));
      storeSubmitted();
    });
  }

  /** A task waiting to be stored, with the request to answer and its destination worker. */
  private record Submitted(Message<Submit> message, int destination, DispatchStore.NewTask stored) {}

  /**
   * Stores what was submitted since the last insert in one statement, one insert at a time, so
   * tasks that arrive while one commits travel together in the next (group commit). Each is
   * queued and answered once it is durable.
   */
  private void storeSubmitted() {
    if (storing || submitted.isEmpty()) {
      return;
    }
    storing = true;
    List<Submitted> group = new ArrayList<>(submitted);
    submitted.clear();
    store.insert(group.stream().map(Submitted::stored).toList()).onComplete(ar -> {
      storing = false;
      for (Submitted s : group) {
        Task task = s.stored().task();
        if (ar.succeeded()) {
          queues.fill(s.destination(), task.level(), task, task.createdAt());
          s.message().reply(new Accepted(task.taskId()));
          LogIds.task(LOG.atDebug(), task.taskId(), s.message().body().requestId()).log(
              "task stored [task: {}, request: {}]", task.taskId(), s.message().body().requestId());
        } else {
          queues.cancel(s.destination(), task.level());
          BusFailures.fail(s.message(), Refusal.of(503, DispatchStore.isIdTaken(ar.cause())
              ? "a task id was taken (the worker restarted within a millisecond); send again"
              : "the task could not be stored: " + ar.cause().getMessage()));
        }
      }
      if (ar.failed()) {
        String first = group.get(0).stored().task().taskId();
        String request = group.get(0).message().body().requestId();
        LogIds.task(LOG.atWarn(), first, request).log("tasks not stored [tasks: {}, first: {}, request: {}, cause: {}]",
            group.size(), first, request, ar.cause().getMessage());
      }
      pump();
      storeSubmitted();
    });
  }

  private void pump() {
    long now = System.currentTimeMillis();
    for (DispatchQueues.Batch<Task> batch : queues.take(now, settings.batchSize(), MAX_BATCH_BYTES, MAX_IN_FLIGHT)) {
      send(batch);
    }
  }

  /** One request per batch to the destination's worker; a failure sends the batch back with backoff (D6). */
  private void send(DispatchQueues.Batch<Task> batch) {
    List<Task> tasks = batch.entries().stream().map(DispatchQueues.Entry::item).toList();
    inFlight += tasks.size();
    // Not awaited by the send: it only shows the state and never overwrites a delivery that lands
    // first; a failure is recorded after it, so "retrying" is never overwritten by it.
    Future<Void> marked = store.sending(tasks)
        .onFailure(e -> LOG.debug("sending state not recorded [first: {}]", tasks.get(0).taskId()));
    vertx.eventBus().<Delivered>request(Addresses.dispatchDeliver(batch.destination()),
            new DeliveryBatch(config.nodeId(), tasks), new DeliveryOptions().setSendTimeout(settings.sendTimeoutMs()))
        .onComplete(ar -> inFlight -= tasks.size())
        .onSuccess(reply -> {
          queues.delivered(batch);
          delivered.increment(tasks.size());
          LOG.debug("batch delivered [worker: {}, tasks: {}, first: {}]", batch.destination(), tasks.size(),
              tasks.get(0).taskId());
          pump();
        })
        .onFailure(e -> {
          long now = System.currentTimeMillis();
          long delay = queues.failed(batch, now);
          retried.increment(tasks.size());
          String reason = "worker " + batch.destination() + ": " + e.getMessage();
          LOG.warn("batch not delivered, retrying in {} ms [worker: {}, tasks: {}, first: {}, cause: {}]", delay,
              batch.destination(), tasks.size(), tasks.get(0).taskId(), e.getMessage());
          boolean firstFailure = queues.failures(batch.destination()) == 1;
          marked.otherwiseEmpty()
              .compose(v -> firstFailure ? store.waitingForRetry(number, batch.destination()) : Future.succeededFuture())
              .compose(v -> store.failed(tasks, config.nodeId(), reason, now,
                  now + delay, settings.retryFlag()))
              .onFailure(x -> LOG.warn("attempt not recorded [first: {}, cause: {}]", tasks.get(0).taskId(),
                  x.getMessage()));
          vertx.setTimer(Math.max(1, delay), t -> pump());
        });
  }

  /**
   * D5: the batch's tasks go into their users' queues in one transaction that also marks them
   * delivered; a task seen before is stored once (its record id comes from its task id).
   */
  private void deliver(Message<DeliveryBatch> message) {
    List<Task> tasks = message.body().tasks();
    List<Envelope> envelopes = tasks.stream()
        .map(t -> UserQueues.envelope(t, config.nodeId(), config.maxPayloadBytes())).toList();
    long now = System.currentTimeMillis();
    RecordStore.Route route = new RecordStore.Route(message.body().sourceNode(), config.nodeId());
    pool.withTransaction(conn -> RecordStore.appendIn(conn, envelopes, now, route, true)
            .compose(appended -> DispatchStore.delivered(conn, appended.receipt().records(), tasks, config.nodeId(), now)
                .map(appended)))
        .compose(appended -> committed.announce(appended.newByChannel()))
        .onSuccess(v -> message.reply(new Delivered(tasks.stream().map(Task::taskId).toList())))
        .onFailure(e -> {
          LOG.warn("delivery failed [tasks: {}, first: {}, cause: {}]", tasks.size(), tasks.get(0).taskId(),
              e.getMessage());
          BusFailures.fail(message, Refusal.of(503, "delivery failed: " + e.getMessage()));
        });
  }

  /** D8: the tasks this worker holds, and what its users have not yet acknowledged. */
  private void publishGauges() {
    NodeState.setGauge(vertx, NodeState.TASK_BACKLOG, queues.size() + inFlight);
    if (number >= 0) {
      store.unconsumed(number).onSuccess(n -> NodeState.setGauge(vertx, NodeState.USER_BACKLOG, n));
    }
  }
}
