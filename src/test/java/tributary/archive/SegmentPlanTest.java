package tributary.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tributary.bus.StoredRecord;
import tributary.placement.DiskRoom;
import tributary.placement.FirstCopyChooser;
import tributary.placement.LoadScore;
import tributary.placement.StoreLoad;

class SegmentPlanTest {
  private static final LoadScore EVEN = LoadScore.DEFAULT;
  private static final DiskRoom ROOM = new DiskRoom(1_000);

  private static ArchiveStore.Pending pending(long cursor, String site) {
    return new ArchiveStore.Pending(new StoredRecord("ch", cursor, "id" + cursor, "edge", "t", 1, 0, 0, "s", null,
        "{\"v\":" + cursor + "}", null), site);
  }

  private static StoreLoad node(String id, String site, long free) {
    return new StoreLoad(id, id, site, "", 0, 0, 0, 0, 1, 1, 0, free);
  }

  private static SegmentPlan plan() {
    return new SegmentPlan(new FirstCopyChooser(EVEN, ROOM), ROOM, 3, new Random(3));
  }

  private static ArchiveStore.Pending withPriority(long cursor, int priority) {
    return new ArchiveStore.Pending(new StoredRecord("ch", cursor, "id" + cursor, "edge", "t", priority, 0, 0, "s",
        null, "{}", null), "a");
  }

  @Test
  void channelsWithPriorityZeroRecordsAreArchivedBeforeABacklogOfLowOnes() {
    List<ArchiveStore.Behind> behind = List.of(new ArchiveStore.Behind("bulk-1", 9, 100),
        new ArchiveStore.Behind("bulk-2", 9, 50), new ArchiveStore.Behind("alarms", 0, 900),
        new ArchiveStore.Behind("metrics", 4, 10));
    assertEquals(List.of("alarms", "metrics", "bulk-2", "bulk-1"), SegmentPlan.order(behind));
  }

  @Test
  void aSegmentTakesItsMostUrgentRecordsPriority() {
    assertEquals(0, SegmentPlan.priority(List.of(withPriority(1, 9), withPriority(2, 0), withPriority(3, 5))));
    assertEquals(9, SegmentPlan.priority(List.of(withPriority(1, 9))));
  }

  @Test
  void recordsAreCutWhereTheirSiteChangesInCursorOrder() {
    List<List<ArchiveStore.Pending>> runs = SegmentPlan.runsBySite(List.of(pending(1, "a"), pending(2, "a"),
        pending(3, "b"), pending(4, null), pending(5, null), pending(6, "a")));
    assertEquals(List.of(List.of(1L, 2L), List.of(3L), List.of(4L, 5L), List.of(6L)),
        runs.stream().map(r -> r.stream().map(p -> p.record().cursor()).toList()).toList());
    assertEquals(List.of(), SegmentPlan.runsBySite(List.of()));
  }

  @Test
  void aSegmentIsOneJsonLinePerRecordAndNamedByItsCursors() {
    String text = SegmentPlan.ndjson(List.of(pending(7, "a"), pending(8, "a"))).toString();
    String[] lines = text.split("\n");
    assertEquals(2, lines.length);
    assertTrue(text.endsWith("\n"));
    assertTrue(lines[0].startsWith("{\"cursor\":7,"), lines[0]);
    assertEquals("records/ch/7-8", SegmentPlan.name("ch", 7, 8));
  }

  @Test
  void theFirstCopyStaysAtTheRecordsSiteAndTheOthersGoElsewhere() {
    List<StoreLoad> live = List.of(node("a1", "a", 1L << 30), node("b1", "b", 1L << 30), node("c1", "c", 1L << 30),
        node("c2", "c", 1L << 30));
    for (String site : Arrays.asList("a", "b")) {
      List<StoreLoad> targets = plan().targets(live, site, 100);
      assertEquals(3, targets.size());
      assertEquals(site, targets.get(0).site());
      assertEquals(3, targets.stream().map(StoreLoad::storeId).distinct().count());
    }
  }

  @Test
  void aSiteWithoutARoomyNodeTakesTheBestElsewhereAndNoRoomAnywhereIsNoTarget() {
    List<StoreLoad> live = List.of(node("a1", "a", 500), node("b1", "b", 1L << 30));
    List<StoreLoad> targets = plan().targets(live, "a", 100);
    assertEquals("b1", targets.get(0).storeId());
    assertTrue(targets.stream().noneMatch(t -> t.storeId().equals("a1")), "a1 has no room beyond its margin");
    assertEquals(List.of(), plan().targets(List.of(node("a1", "a", 500)), "a", 100));
    assertNotEquals(0, plan().targets(live, null, 100).size(), "records of no known site go anywhere");
  }
}
