package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
  @Test
  void idsHaveTheWorkerTheTimeAndSixDigits() {
    String id = new TaskIds(7).next(1_733_300_000_123L);
    assertTrue(id.matches("7_1733300000123_\\d{6}"), id);
    assertTrue(TaskIds.valid(id));
    assertTrue(!TaskIds.valid("7_1733300000123_12345") && !TaskIds.valid("x_1_123456") && !TaskIds.valid(null));
  }

  @Test
  void aHundredThousandIdsFromEightThreadsNeverCollide() throws InterruptedException {
    TaskIds ids = new TaskIds(3);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 12_500; i++) {
          seen.add(ids.next(System.currentTimeMillis()));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(100_000, seen.size());
  }

  @Test
  void aMillisecondWhoseDigitsAreAllUsedMovesOnAndTimeNeverGoesBack() {
    TaskIds ids = new TaskIds(1, 100);
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 101; i++) {
      seen.add(ids.next(5));
    }
    assertEquals(101, seen.size());
    assertEquals(100, seen.stream().filter(id -> id.startsWith("1_5_")).count());
    assertTrue(ids.next(4).startsWith("1_6_"), "ids carry the next millisecond, and never an earlier one");
  }
}
