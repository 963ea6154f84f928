package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tributary.bus.Ids;
import tributary.fault.Refusal;
import tributary.support.MigratedSchema;

/**
 * S7 and E7 on real PostgreSQL: a node's plan file holds its items that may run now, most urgent
 * first; a marked file is applied whole or not at all; the window sweep fails what was not
 * started; repair picks the most urgent blobs first.
 */
class TaskStoreIntegrationTest {
  @RegisterExtension
  static final MigratedSchema db = new MigratedSchema("task-store");
  private static TaskStore tasks;

  @BeforeAll
  static void start() {
    tasks = new TaskStore(db.pool());
  }

  /** A blob of the priority with no copy at all. */
  private static String blob(int priority) {
    String id = Ids.newId();
    await(new BlobCatalog(db.pool()).insertAll(List.of(new BlobCatalog.NewBlob(new BlobCatalog.Blob(id, "sha-" + id,
        "md5", 10, "other", null, "application/octet-stream", "owner", 3, List.of(), null, null, "n", "site", "live",
        1, priority), List.of(), List.of(), "mirror-" + Ids.newId(), new JsonObject(), "test", List.of(), null))));
    return id;
  }

  private static String plan(String node, String blobId, TaskStore.Window window) {
    String planId = "compress-" + Ids.newId();
    await(tasks.plan(planId, TaskKind.COMPRESS, blobId, new JsonObject(), "test", 1, window,
        List.of(new TaskStore.Planned(TaskKind.COMPRESS, blobId, node, null, 10))));
    return planId;
  }

  private static List<String> blobsHandedOut(String node, int limit, long now) {
    return await(tasks.handOut(node, limit, now)).plans().stream().flatMap(p -> p.items().stream())
        .map(PlanFile.Item::blob).toList();
  }

  private static String stateOf(long itemId) {
    return await(db.pool()
        .preparedQuery("SELECT state || coalesce(':' || error, '') FROM task_items WHERE item_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(itemId))).iterator().next().getString(0);
  }

  @Test
  void aNodesPlanFileHoldsItsRunnableItemsMostUrgentFirst() {
    String low1 = blob(9);
    String low2 = blob(5);
    String urgent = blob(0);
    for (String b : List.of(low1, low2, urgent)) {
      plan("node-a", b, TaskStore.Window.OPEN);
    }
    plan("node-b", blob(0), TaskStore.Window.OPEN);
    String later = blob(0);
    plan("node-a", later, new TaskStore.Window(5_000L, null));
    String closed = blob(0);
    plan("node-a", closed, new TaskStore.Window(null, 2_000L));

    assertEquals(List.of(urgent, low2, low1), blobsHandedOut("node-a", 10, 3_000));
    assertEquals(List.of(urgent), blobsHandedOut("node-a", 1, 3_000));
    assertEquals(List.of(urgent, closed, low2, low1), blobsHandedOut("node-a", 10, 1_000),
        "before notAfter its window is open");
    assertEquals(List.of(urgent, later, low2, low1), blobsHandedOut("node-a", 10, 5_000), "from notBefore on");
  }

  @Test
  void aMarkedFileIsAppliedWholeOrNotAtAll() {
    String node = "node-c";
    plan(node, blob(9), TaskStore.Window.OPEN);
    plan(node, blob(9), TaskStore.Window.OPEN);
    PlanFile served = await(tasks.handOut(node, 10, 10));
    List<PlanFile.Item> items = served.plans().stream().flatMap(p -> p.items().stream()).toList();
    assertEquals(2, items.size());
    PlanFile.Item first = items.get(0);
    PlanFile.Item second = items.get(1);
    PlanFile marked = served.marked(java.util.Map.of(first.id(), first.started(20).finished(TaskStore.DONE, null,
        null, 30), second.id(), second.started(20).finished(TaskStore.FAILED, "disk full", null, 40)));

    // the second item filed under the first one's plan: the whole file is refused
    List<PlanFile.Plan> misfiled = List.of(new PlanFile.Plan(marked.plans().get(0).id(), TaskKind.COMPRESS,
        new JsonObject(), null, null, List.of(marked.plans().get(0).items().get(0),
        marked.plans().get(1).items().get(0))));
    AssertionError e = assertThrows(AssertionError.class,
        () -> await(tasks.apply(node, new PlanFile(node, 50, misfiled), 50)));
    assertEquals(400, ((Refusal) e.getCause()).status());
    assertEquals(TaskStore.PLANNED, stateOf(first.id()), "the good item of a refused file is untouched");

    assertEquals(new TaskStore.Applied(2, 1), await(tasks.apply(node, marked, 50)));
    assertEquals(TaskStore.DONE, stateOf(first.id()));
    assertEquals(TaskStore.FAILED + ":disk full", stateOf(second.id()));
    assertEquals(new TaskStore.Applied(0, 0), await(tasks.apply(node, marked, 60)), "sent again: nothing changes");
  }

  @Test
  void itemsNotStartedWhenTheirWindowClosedFailWindowClosed() {
    String node = "node-d";
    plan(node, blob(9), new TaskStore.Window(null, 100_000L));
    plan(node, blob(9), new TaskStore.Window(null, 100_000L));
    plan(node, blob(9), TaskStore.Window.OPEN);
    List<PlanFile.Item> items = await(tasks.handOut(node, 10, 50_000)).plans().stream()
        .flatMap(p -> p.items().stream()).toList();
    PlanFile.Item started = items.get(0);
    await(tasks.apply(node, await(tasks.handOut(node, 10, 50_000)).marked(java.util.Map.of(started.id(),
        started.started(60_000))), 60_000));

    assertEquals(0, await(tasks.closeWindows(100_000 + TaskStore.WINDOW_GRACE_MS - 1)), "the node's grace");
    assertEquals(1, await(tasks.closeWindows(100_000 + TaskStore.WINDOW_GRACE_MS)));
    assertEquals(TaskStore.STARTED, stateOf(started.id()), "a started item runs on past its window");
    assertEquals(TaskStore.FAILED + ":" + PlanMarks.WINDOW_CLOSED, stateOf(items.get(1).id()));
    assertEquals(TaskStore.PLANNED, stateOf(items.get(2).id()), "a plan without a window never closes");
  }

  @Test
  void repairPicksTheMostUrgentBlobsFirst() {
    List<String> low = List.of(blob(9), blob(9), blob(9));
    String urgent = blob(0);
    List<RepairQueries.Imbalance> picked = await(new RepairQueries(db.pool()).imbalanced(1, 0));
    assertEquals(1, picked.size());
    assertEquals(0, picked.get(0).priority());
    List<String> all = await(new RepairQueries(db.pool()).imbalanced(1000, 0)).stream()
        .map(RepairQueries.Imbalance::blobId).toList();
    assertTrue(all.contains(urgent) && low.stream().allMatch(b -> all.indexOf(b) > all.indexOf(urgent)),
        "no low-priority blob before the urgent one: " + all);
  }

  @Test
  void thePeriodicSweepWalksTheCatalogPageByPageAndFindsEveryShortfall() {
    for (int i = 0; i < 5; i++) {
      blob(5);
    }
    RepairQueries repair = new RepairQueries(db.pool());
    java.util.Set<String> everyShortfall = new java.util.TreeSet<>(await(repair.imbalanced(100_000, 0)).stream()
        .map(RepairQueries.Imbalance::blobId).toList());
    java.util.Set<String> paged = new java.util.TreeSet<>();
    String from = "";
    int pages = 0;
    for (String to = await(repair.pageEnd(from, 2)); to != null; from = to, to = await(repair.pageEnd(from, 2))) {
      pages++;
      for (RepairQueries.Imbalance found : await(repair.imbalanced(100_000, 0, new RepairQueries.Page(from, to)))) {
        assertTrue(found.blobId().compareTo(from) > 0 && found.blobId().compareTo(to) <= 0,
            found.blobId() + " lies outside its page (" + from + ", " + to + "]");
        assertTrue(paged.add(found.blobId()), "found on two pages: " + found.blobId());
      }
    }
    assertEquals(everyShortfall, paged, "the pages together find what one whole sweep finds");
    long live = await(db.pool().query("SELECT count(*) FROM blobs WHERE state = 'live'").execute())
        .iterator().next().getLong(0);
    assertEquals((live + 1) / 2, pages, "pages of two blobs each, the last one possibly short");
  }
}
