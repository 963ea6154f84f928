package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private final List<List<Integer>> sent = new ArrayList<>();
  private final List<Promise<List<String>>> answers = new ArrayList<>();
  private final Batches<Integer, String> batches = new Batches<>(3, 100, items -> {
    sent.add(items);
    Promise<List<String>> p = Promise.promise();
    answers.add(p);
    return p.future();
  });

  private static List<String> answersFor(List<Integer> items) {
    return items.stream().map(i -> "stored " + i).toList();
  }

  @Test
  void anItemFindingNoBatchUnderWayIsSentAtOnceAndEachGetsItsOwnAnswer() {
    Future<String> first = batches.add(1, 10);
    assertEquals(List.of(List.of(1)), sent, "nothing waits when idle");
    Future<String> second = batches.add(2, 10);
    Future<String> third = batches.add(3, 10);
    assertEquals(1, sent.size(), "what arrives during a batch waits for the next");
    answers.get(0).complete(answersFor(sent.get(0)));
    assertEquals("stored 1", first.result());
    assertEquals(List.of(2, 3), sent.get(1));
    assertFalse(second.isComplete() || third.isComplete(), "nothing is done before its batch");
    answers.get(1).complete(answersFor(sent.get(1)));
    assertEquals("stored 2", second.result());
    assertEquals("stored 3", third.result());
    Future<String> later = batches.add(4, 10);
    assertEquals(List.of(4), sent.get(2), "idle again: sent at once");
    answers.get(2).complete(answersFor(sent.get(2)));
    assertTrue(later.succeeded());
  }

  @Test
  void aBatchIsBoundedByCountAndBytesAndAFailedBatchFailsItsMembersOnly() {
    Future<String> first = batches.add(0, 10);
    List<Future<String>> later = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      later.add(batches.add(i, 10));
    }
    later.add(batches.add(5, 95)); // too heavy to join 4
    answers.get(0).fail("connection reset");
    assertTrue(first.failed());
    assertEquals(List.of(1, 2, 3), sent.get(1), "at most three");
    answers.get(1).fail("storage node refused a batch");
    assertTrue(later.subList(0, 3).stream().allMatch(Future::failed));
    assertEquals(List.of(4), sent.get(2), "at most 100 bytes");
    answers.get(2).complete(answersFor(sent.get(2)));
    assertEquals(List.of(5), sent.get(3));
    answers.get(3).complete(answersFor(sent.get(3)));
    assertTrue(later.get(3).succeeded() && later.get(4).succeeded(), "later batches are not harmed");
  }

  @Test
  void anAnswerOfTheWrongLengthFailsItsBatch() {
    Future<String> first = batches.add(1, 10);
    answers.get(0).complete(List.of());
    assertTrue(first.failed());
  }

  @Test
  void concurrentAddsFormBatchesAndEveryItemIsAnsweredOnce() throws InterruptedException {
    List<List<Integer>> groups = java.util.Collections.synchronizedList(new ArrayList<>());
    Batches<Integer, Integer> concurrent = new Batches<>(16, Long.MAX_VALUE, items -> {
      groups.add(items);
      // answered from another thread, while adds go on
      Promise<List<Integer>> p = Promise.promise();
      new Thread(() -> p.complete(items)).start();
      return p.future();
    });
    int threads = 8;
    int each = 200;
    CountDownLatch answered = new CountDownLatch(threads * each);
    List<Integer> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      adders.add(new Thread(() -> {
        for (int i = base; i < base + each; i++) {
          int item = i;
          concurrent.add(item, 1).onComplete(ar -> {
            if (ar.failed() || ar.result() != item) {
              wrong.add(item);
            }
            answered.countDown();
          });
        }
      }));
    }
    adders.forEach(Thread::start);
    assertTrue(answered.await(20, TimeUnit.SECONDS), "every item answered");
    assertTrue(wrong.isEmpty(), "wrong answers: " + wrong);
    assertEquals(threads * each, groups.stream().mapToInt(List::size).sum(), "each item sent once");
    assertTrue(groups.size() < threads * each, "items went together: " + groups.size() + " batches");
    assertTrue(groups.stream().allMatch(g -> g.size() <= 16));
  }
}
