package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tributary.placement.DiskRoom;
import tributary.placement.StoreLoad;

class RepairPlanTest {
  private static final DiskRoom ROOM = new DiskRoom(0);
  private static final List<StoreLoad> LIVE = List.of(node("a", "s1"), node("b", "s1"), node("c", "s2"), node("d", "s3"));

  private static StoreLoad node(String id, String site) {
    return new StoreLoad(id, id, site, "", 0, 0, 0, 0, 1, 1, 0, 1L << 40);
  }

  private static RepairQueries.Imbalance blob(String id, int copies, List<String> mirrors, List<String> readable,
      List<String> pending, int failures, long lastFailureAt) {
    return new RepairQueries.Imbalance(id, 100, copies, mirrors, readable, pending, failures, lastFailureAt,
        PriorityOrder.UNSTATED);
  }

  private static RepairPlan plan(long now, RepairQueries.Imbalance... blobs) {
    return RepairPlan.of(List.of(blobs), LIVE, now, new Random(7), ROOM);
  }

  @Test
  void aBlobShortOfCopiesGetsMirrorsOnNodesThatHoldNoneCopiedFromAReadableOne() {
    RepairPlan p = plan(1_000, blob("b1", 3, List.of(), List.of("a"), List.of(), 0, 0));
    assertEquals(2, p.mirrors().size());
    Set<String> targets = p.mirrors().stream().map(TaskStore.Planned::runOn).collect(Collectors.toSet());
    assertEquals(2, targets.size());
    assertTrue(!targets.contains("a"), "never onto a holder: " + targets);
    p.mirrors().forEach(m -> {
      assertEquals(TaskKind.MIRROR, m.kind());
      assertEquals("a", m.sourceStore());
      assertEquals(100, m.bytes());
    });
    assertEquals(List.of(), p.extras());
  }

  @Test
  void priorityZeroBlobsArePlannedBeforeABacklogOfLowOnes() {
    RepairQueries.Imbalance low1 = blob("low-1", 3, List.of(), List.of("a"), List.of(), 0, 0);
    RepairQueries.Imbalance low2 = blob("low-2", 3, List.of(), List.of("a"), List.of(), 0, 0);
    RepairQueries.Imbalance urgent = new RepairQueries.Imbalance("urgent", 100, 3, List.of(), List.of("a"),
        List.of(), 0, 0, 0);
    RepairPlan p = plan(1_000, low1, low2, urgent);
    assertEquals(List.of("urgent", "urgent", "low-1", "low-1", "low-2", "low-2"),
        p.mirrors().stream().map(TaskStore.Planned::blobId).toList());
  }

  @Test
  void copiesBeingMadeCountAndTheirNodesAreNotChosenAgain() {
    RepairPlan p = plan(1_000, blob("b1", 3, List.of(), List.of("a"), List.of("b"), 0, 0));
    assertEquals(1, p.mirrors().size());
    String target = p.mirrors().get(0).runOn();
    assertTrue(target.equals("c") || target.equals("d"), target);
  }

  @Test
  void aChosenMirrorNodeIsPreferred() {
    RepairPlan p = plan(1_000, blob("b1", 2, List.of("d"), List.of("a"), List.of(), 0, 0));
    assertEquals("d", p.mirrors().get(0).runOn());
  }

  @Test
  void aBlobWithoutAReadableCopyOrWithinItsBackoffWaits() {
    assertEquals(List.of(), plan(1_000, blob("b1", 3, List.of(), List.of(), List.of(), 0, 0)).mirrors());
    assertEquals(List.of(), plan(1_500, blob("b1", 3, List.of(), List.of("a"), List.of(), 1, 1_000)).mirrors(),
        "one failure waits a second");
    assertEquals(2, plan(2_000, blob("b1", 3, List.of(), List.of("a"), List.of(), 1, 1_000)).mirrors().size());
  }

  @Test
  void extraCopiesGoOldestFirstButNeverAChosenMirror() {
    // readable copies come newest first
    RepairPlan p = plan(1_000, blob("b1", 2, List.of("d"), List.of("a", "c", "d", "b"), List.of(), 0, 0));
    assertEquals(List.of(), p.mirrors());
    assertEquals(List.of("b", "c"), p.extras().stream().map(TaskStore.Planned::runOn).toList());
    p.extras().forEach(e -> assertEquals(TaskKind.RECYCLE, e.kind()));
  }

  @Test
  void eachNodeWithNewItemsIsToldOnce() {
    RepairPlan p = plan(1_000, blob("b1", 2, List.of("d"), List.of("a"), List.of(), 0, 0),
        blob("b2", 2, List.of("d"), List.of("b"), List.of(), 0, 0),
        blob("b3", 1, List.of(), List.of("a", "c"), List.of(), 0, 0));
    assertEquals(List.of("d", "c"), p.nodesToTell());
  }
}
