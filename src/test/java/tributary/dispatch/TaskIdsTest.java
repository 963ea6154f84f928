package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
  @Test
  void idsHaveTheWorkerTheTimeAndSixDigits() {
    String id = TaskIds.next(7, 1_733_300_000_123L);
    assertTrue(id.matches("7_1733300000123_\\d{6}"), id);
    assertTrue(TaskIds.valid(id));
    assertTrue(!TaskIds.valid("7_1733300000123_12345") && !TaskIds.valid("x_1_123456") && !TaskIds.valid(null));
  }

  /**
   * 100,000 ids from 8 threads: the random part alone repeats within a millisecond now and then, so
   * uniqueness comes from drawing again on a clash, as the store does with its primary key.
   */
  @Test
  void aHundredThousandIdsFromEightThreadsAreUniqueWhenAClashDrawsAgain() throws InterruptedException {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger clashes = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 12_500; i++) {
          while (!seen.add(TaskIds.next(3, System.currentTimeMillis()))) {
            clashes.incrementAndGet();
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(100_000, seen.size());
    assertTrue(clashes.get() < 1_000, "clashes are rare: " + clashes.get());
  }
}
