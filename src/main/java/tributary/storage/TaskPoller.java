package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.fault.Backoff;
import tributary.fault.Refusal;

/**
 * A storage node's side of the plan file exchange (S7, the seed's file dispatch): it downloads its
 * plan file (a few items, the most urgent first), checks it against the schema, runs each item
 * whose plan's window is still open, marks it started and then finished, and uploads the marked
 * file once every item ended, and also when a plan's window closes while items still run. Items
 * it did not start stay "planned" in the file; after their window that fails them. One poll runs
 * per node; a poll asked for meanwhile (a notice of new items) runs right after it.
 */
public final class TaskPoller {
  private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);
  static final int CLAIM_BATCH = 4;
  /** Retries of an upload PostgreSQL could not take: about three minutes in all. */
  private static final Backoff UPLOAD_BACKOFF = new Backoff(200, 5_000);
  private static final int UPLOAD_ATTEMPTS = 40;

  private final Vertx vertx;
  private final PlanExchange exchange;
  private final TaskRunner runner;
  private final Set<String> polling = new HashSet<>();
  private final Set<String> pollAgain = new HashSet<>();

  public TaskPoller(Vertx vertx, PlanExchange exchange, TaskRunner runner) {
    this.vertx = vertx;
    this.exchange = exchange;
    this.runner = runner;
  }

  public void poll(StorageNode node) {
    if (!polling.add(node.id())) {
      pollAgain.add(node.id());
      return;
    }
    pollAgain.remove(node.id());
    exchange.download(node.id(), CLAIM_BATCH, System.currentTimeMillis())
        .compose(exchange::read)
        .compose(file -> run(node, file).map(v -> file.plans().stream().mapToInt(p -> p.items().size()).sum()))
        .onComplete(ar -> {
          polling.remove(node.id());
          if (ar.failed()) {
            LOG.debug("task poll failed [node: {}, cause: {}]", node.id(), ar.cause().getMessage());
          } else if (ar.result() == CLAIM_BATCH || pollAgain.contains(node.id())) {
            poll(node);
          }
        });
  }

  /** Runs the file's items and uploads their marks; succeeds once the last upload ended. */
  private Future<Void> run(StorageNode node, PlanFile file) {
    Map<Long, PlanFile.Item> marks = new HashMap<>();
    List<Future<?>> runs = new ArrayList<>();
    List<Long> windowTimers = new ArrayList<>();
    for (PlanFile.Plan plan : file.plans()) {
      long now = System.currentTimeMillis();
      if (plan.notAfter() != null && !plan.closedAt(now)) {
        // the seed's rule: the file goes back when the window closes, whatever still runs
        windowTimers.add(vertx.setTimer(plan.notAfter() - now,
            t -> upload(node, file.marked(Map.copyOf(marks)), 0)));
      }
      for (PlanFile.Item item : plan.items()) {
        if (plan.closedAt(System.currentTimeMillis())) {
          continue;
        }
        marks.put(item.id(), item.started(System.currentTimeMillis()));
        TaskStore.Item task = new TaskStore.Item(item.id(), plan.id(), item.kind(), item.blob(), node.id(),
            item.source(), item.bytes(), plan.params());
        runs.add(runner.run(task, node.id(), node.disk()).onSuccess(o -> marks.put(item.id(),
            marks.get(item.id()).finished(o.state(), o.error(), o.output(), System.currentTimeMillis()))));
      }
    }
    return Future.join(runs).transform(ended -> {
      windowTimers.forEach(vertx::cancelTimer);
      return upload(node, file.marked(marks), 0);
    });
  }

  /**
   * Uploads the marks, again and again while PostgreSQL cannot take them: an item left "planned"
   * after it ran would run again, and one whose copy exists but is not marked would be planned
   * anew (the fault suite's PostgreSQL restart). A refusal of the file is not retried.
   */
  private Future<Void> upload(StorageNode node, PlanFile marked, int failures) {
    return exchange.upload(node.id(), marked.toXml(), System.currentTimeMillis()).<Void>mapEmpty().recover(e -> {
      if (e instanceof Refusal || failures + 1 >= UPLOAD_ATTEMPTS) {
        LOG.warn("task marks not uploaded [node: {}, cause: {}]", node.id(), e.getMessage());
        return Future.succeededFuture();
      }
      long delay = UPLOAD_BACKOFF.delayMs(failures + 1);
      LOG.info("uploading task marks failed, retrying in {} ms [node: {}, cause: {}]", delay, node.id(),
          e.getMessage());
      Promise<Void> later = Promise.promise();
      vertx.setTimer(delay, t -> upload(node, marked, failures + 1).onComplete(later));
      return later.future();
    });
  }
}
