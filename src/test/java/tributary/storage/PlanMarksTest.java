package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.fault.Refusal;

/** S7: what a node's marked plan file may change, judged whole before anything is applied. */
class PlanMarksTest {
  private static final long NOW = 10_000;

  private static PlanFile.Item item(long id, String state) {
    return new PlanFile.Item(id, TaskKind.COMPRESS, "blob-" + id, 10, 9, null, state, null, null, null, null);
  }

  private static PlanFile file(String node, String planId, PlanFile.Item... items) {
    return new PlanFile(node, NOW, List.of(new PlanFile.Plan(planId, TaskKind.COMPRESS, new JsonObject(), null, null,
        List.of(items))));
  }

  private static PlanMarks.Stored stored(long id, String state, Long notAfter) {
    return new PlanMarks.Stored(id, "plan-1", "store-1", state, notAfter);
  }

  @Test
  void finishedMarksEndTheirItemsWithTheNodesTimesAndMessage() {
    PlanFile.Item done = item(1, TaskStore.PLANNED).started(100).finished(TaskStore.DONE, null, "out-1", 200);
    PlanFile.Item failed = item(2, TaskStore.PLANNED).started(110).finished(TaskStore.FAILED, "disk full", null, 210);
    List<PlanMarks.Change> changes = PlanMarks.of("store-1", file("store-1", "plan-1", done, failed),
        Map.of(1L, stored(1, TaskStore.PLANNED, null), 2L, stored(2, TaskStore.PLANNED, null)), NOW);
    assertEquals(List.of(new PlanMarks.Change(1, TaskStore.DONE, null, "out-1", 100L, 200L),
        new PlanMarks.Change(2, TaskStore.FAILED, "disk full", null, 110L, 210L)), changes);
  }

  @Test
  void theSameMarksSentAgainChangeNothingOnceApplied() {
    PlanFile.Item done = item(1, TaskStore.PLANNED).started(100).finished(TaskStore.DONE, null, null, 200);
    assertTrue(PlanMarks.of("store-1", file("store-1", "plan-1", done), Map.of(1L, stored(1, TaskStore.DONE, null)),
        NOW).isEmpty());
    // a late "started" from a window-close upload does not reopen a finished item
    assertNull(PlanMarks.change(stored(1, TaskStore.DONE, null), item(1, TaskStore.PLANNED).started(150), NOW));
  }

  @Test
  void anItemLeftPlannedFailsOnlyOnceItsWindowClosed() {
    PlanFile.Item untouched = item(1, TaskStore.PLANNED);
    assertNull(PlanMarks.change(stored(1, TaskStore.PLANNED, NOW + 1), untouched, NOW));
    assertNull(PlanMarks.change(stored(1, TaskStore.PLANNED, null), untouched, NOW));
    assertEquals(new PlanMarks.Change(1, TaskStore.FAILED, PlanMarks.WINDOW_CLOSED, null, null, NOW),
        PlanMarks.change(stored(1, TaskStore.PLANNED, NOW), untouched, NOW));
    // one the node started in time keeps running after the window
    assertEquals(new PlanMarks.Change(1, TaskStore.STARTED, null, null, NOW - 5, null),
        PlanMarks.change(stored(1, TaskStore.PLANNED, NOW - 1), untouched.started(NOW - 5), NOW));
  }

  @Test
  void aFileOfAnotherNodeIsRefused() {
    Refusal r = assertThrows(Refusal.class, () -> PlanMarks.of("store-1", file("store-2", "plan-1",
        item(1, TaskStore.DONE)), Map.of(1L, stored(1, TaskStore.PLANNED, null)), NOW));
    assertEquals(400, r.status());
    assertTrue(r.getMessage().contains("store-2"), r.getMessage());
  }

  @Test
  void anItemOfAnotherNodeOrPlanOrNoneRefusesTheWholeFile() {
    PlanFile.Item good = item(1, TaskStore.PLANNED).started(1).finished(TaskStore.DONE, null, null, 2);
    PlanFile.Item foreign = item(2, TaskStore.PLANNED).started(1).finished(TaskStore.DONE, null, null, 2);
    Map<Long, PlanMarks.Stored> elsewhere = Map.of(1L, stored(1, TaskStore.PLANNED, null),
        2L, new PlanMarks.Stored(2, "plan-1", "store-9", TaskStore.PLANNED, null));
    Refusal r = assertThrows(Refusal.class, () -> PlanMarks.of("store-1", file("store-1", "plan-1", good, foreign),
        elsewhere, NOW));
    assertTrue(r.getMessage().contains("item 2") && r.getMessage().contains("store-9"), r.getMessage());

    Map<Long, PlanMarks.Stored> otherPlan = Map.of(1L, stored(1, TaskStore.PLANNED, null),
        2L, new PlanMarks.Stored(2, "plan-7", "store-1", TaskStore.PLANNED, null));
    r = assertThrows(Refusal.class, () -> PlanMarks.of("store-1", file("store-1", "plan-1", good, foreign),
        otherPlan, NOW));
    assertTrue(r.getMessage().contains("plan-7"), r.getMessage());

    r = assertThrows(Refusal.class, () -> PlanMarks.of("store-1", file("store-1", "plan-1", good, foreign),
        Map.of(1L, stored(1, TaskStore.PLANNED, null)), NOW));
    assertTrue(r.getMessage().contains("item 2 is not"), r.getMessage());
  }
}
