package tributary.storage;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims and runs a storage node's planned task items, a few at a time, until none are left (S7).
 * One poll runs per node; a poll asked for meanwhile (a notice of new items) runs right after it.
 */
public final class TaskPoller {
  private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);
  static final int CLAIM_BATCH = 4;

  private final TaskStore tasks;
  private final TaskRunner runner;
  private final Set<String> polling = new HashSet<>();
  private final Set<String> pollAgain = new HashSet<>();

  public TaskPoller(TaskStore tasks, TaskRunner runner) {
    this.tasks = tasks;
    this.runner = runner;
  }

  public void poll(StorageNode node) {
    if (!polling.add(node.id())) {
      pollAgain.add(node.id());
      return;
    }
    pollAgain.remove(node.id());
    tasks.claim(node.id(), CLAIM_BATCH, System.currentTimeMillis())
        .compose(items -> Future.join(items.stream().map(item -> runner.run(item, node.id(), node.disk())).toList())
            .map(v -> items.size()))
        .onComplete(ar -> {
          polling.remove(node.id());
          if (ar.failed()) {
            LOG.debug("task poll failed [node: {}, cause: {}]", node.id(), ar.cause().getMessage());
          } else if (ar.result() == CLAIM_BATCH || pollAgain.contains(node.id())) {
            poll(node);
          }
        });
  }
}
