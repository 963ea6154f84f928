package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** E7: storage work serving priority-0 data goes first; within a priority, the oldest first. */
class PriorityOrderTest {
  private record Work(String name, int priority, long arrival) {}

  @Test
  void priorityZeroGoesBeforeABacklogOfLowerWork() {
    List<Work> backlog = List.of(new Work("low-1", 9, 1), new Work("low-2", 9, 2), new Work("mid", 5, 3),
        new Work("urgent", 0, 4), new Work("low-3", 9, 5));
    assertEquals(List.of("urgent", "mid", "low-1", "low-2", "low-3"),
        PriorityOrder.urgentFirst(backlog, Work::priority, Work::arrival).stream().map(Work::name).toList());
  }

  @Test
  void withinOnePriorityTheOldestComesFirstAndTiesKeepTheirOrder() {
    List<Work> same = List.of(new Work("b", 3, 20), new Work("a", 3, 10), new Work("c", 3, 20));
    assertEquals(List.of("a", "b", "c"),
        PriorityOrder.urgentFirst(same, Work::priority, Work::arrival).stream().map(Work::name).toList());
  }
}
