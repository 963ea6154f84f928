package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tributary.fault.Backoff;

class DispatchQueuesTest {
  private final DispatchQueues<String> queues = new DispatchQueues<>(10, 100, 1_000, new Backoff(100, 1_000), String::length);

  private void offer(int destination, int level, String item, long at) {
    assertTrue(queues.reserve(destination, level));
    queues.fill(destination, level, item, at);
  }

  private static List<String> items(DispatchQueues.Batch<String> batch) {
    return batch.entries().stream().map(DispatchQueues.Entry::item).toList();
  }

  @Test
  void tasksAreBatchedByDestinationWorkerHighestLevelFirst() {
    offer(1, 9, "to-1-low", 0);
    offer(2, 5, "to-2", 0);
    offer(1, 0, "to-1-urgent", 0);
    offer(1, 5, "to-1-mid", 0);
    Map<Integer, List<String>> batches = queues.take(10, 10, Long.MAX_VALUE, 1).stream()
        .collect(Collectors.toMap(DispatchQueues.Batch::destination, DispatchQueuesTest::items));
    assertEquals(Map.of(1, List.of("to-1-urgent", "to-1-mid", "to-1-low"), 2, List.of("to-2")), batches);
    assertEquals(0, queues.size());
  }

  @Test
  void batchesAreBoundedAndAtMostTheGivenNumberIsOutPerDestination() {
    for (int i = 0; i < 5; i++) {
      offer(1, 3, "t" + i, 0);
    }
    List<DispatchQueues.Batch<String>> out = queues.take(0, 2, Long.MAX_VALUE, 2);
    assertEquals(List.of(List.of("t0", "t1"), List.of("t2", "t3")), out.stream().map(DispatchQueuesTest::items).toList());
    assertTrue(queues.take(0, 2, Long.MAX_VALUE, 2).isEmpty(), "two batches out already");
    queues.delivered(out.get(0));
    assertEquals(List.of("t4"), items(queues.take(0, 2, Long.MAX_VALUE, 2).get(0)));
  }

  @Test
  void aFailedBatchReturnsInOrderAndPausesOnlyItsDestinationWithGrowingBackoff() {
    offer(1, 0, "a", 0);
    offer(1, 9, "b", 0);
    offer(2, 0, "c", 0);
    List<DispatchQueues.Batch<String>> out = queues.take(0, 10, Long.MAX_VALUE, 1);
    DispatchQueues.Batch<String> toOne = out.stream().filter(b -> b.destination() == 1).findFirst().orElseThrow();
    assertEquals(100, queues.failed(toOne, 0));
    queues.delivered(out.stream().filter(b -> b.destination() == 2).findFirst().orElseThrow());
    offer(2, 0, "d", 0);
    List<DispatchQueues.Batch<String>> onlyTwo = queues.take(50, 10, Long.MAX_VALUE, 1);
    assertEquals(List.of(List.of("d")), onlyTwo.stream().map(DispatchQueuesTest::items).toList(),
        "destination 1 waits out its pause, 2 goes on");
    queues.delivered(onlyTwo.get(0));
    DispatchQueues.Batch<String> again = queues.take(100, 10, Long.MAX_VALUE, 1).get(0);
    assertEquals(List.of("a", "b"), items(again), "back in their order");
    assertEquals(200, queues.failed(again, 100));
    assertEquals(2, queues.failures(1));
    assertTrue(queues.take(299, 10, Long.MAX_VALUE, 1).isEmpty());
    queues.delivered(queues.take(300, 10, Long.MAX_VALUE, 1).get(0));
    assertEquals(0, queues.failures(1));
  }

  @Test
  void aFullLevelRefusesUntilItsTasksAreDeliveredAndOtherDestinationsStillTake() {
    DispatchQueues<String> small = new DispatchQueues<>(10, 1, 1_000, new Backoff(100, 1_000), String::length);
    assertTrue(small.reserve(1, 4));
    small.fill(1, 4, "x", 0);
    assertFalse(small.reserve(1, 4));
    assertTrue(small.reserve(1, 5));
    small.cancel(1, 5);
    assertTrue(small.reserve(2, 4));
    DispatchQueues.Batch<String> out = small.take(0, 10, Long.MAX_VALUE, 1).stream()
        .filter(b -> b.destination() == 1).findFirst().orElseThrow();
    assertFalse(small.reserve(1, 4), "a task out in a batch still holds its room");
    small.delivered(out);
    assertTrue(small.reserve(1, 4));
  }

  @Test
  void aBatchStopsAtItsWeightButAlwaysTakesOneTask() {
    offer(1, 0, "aaaa", 0);
    offer(1, 0, "bbbb", 0);
    offer(1, 0, "cccccccccc", 0);
    assertEquals(List.of("aaaa", "bbbb"), items(queues.take(0, 10, 9, 1).get(0)));
    queues.delivered(queues.take(0, 10, 9, 2).get(0));
    assertEquals(0, queues.size(), "a task heavier than the bound goes alone");
  }
}
