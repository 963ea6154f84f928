package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import tributary.bus.Addresses;

/**
 * The plan file exchange (S7) as both sides use it: the HTTP face serves {@code GET} and takes
 * {@code PUT /v1/storage/nodes/{id}/plan.xml} through it, and the storage nodes' {@link TaskPoller}
 * downloads, reads and uploads its files through it. Files are read (and checked against the
 * schema) on a worker; an upload that failed items tells repair at once.
 */
public final class PlanExchange {
  private final Vertx vertx;
  private final TaskStore tasks;

  public PlanExchange(Vertx vertx, TaskStore tasks) {
    this.vertx = vertx;
    this.tasks = tasks;
  }

  /** The node's plan file: up to {@code limit} of its items that may run now, most urgent first. */
  public Future<String> download(String storeId, int limit, long now) {
    return tasks.handOut(storeId, limit, now).map(PlanFile::toXml);
  }

  /** A downloaded file, checked against the schema. */
  public Future<PlanFile> read(String xml) {
    return vertx.executeBlocking(() -> PlanFile.parse(xml), false);
  }

  /** Applies the node's marked file whole or not at all (a 400 refusal naming what is wrong). */
  public Future<TaskStore.Applied> upload(String storeId, String xml, long now) {
    return read(xml).compose(file -> tasks.apply(storeId, file, now)).onSuccess(applied -> {
      if (applied.failed() > 0) {
        vertx.eventBus().publish(Addresses.STORAGE_CHANGED, null);
      }
    });
  }
}
