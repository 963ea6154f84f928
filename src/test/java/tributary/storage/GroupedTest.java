package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupedTest {
  private final List<List<Integer>> groups = new ArrayList<>();
  private final List<Promise<Void>> writes = new ArrayList<>();
  private final Grouped<Integer> grouped = new Grouped<>(3, items -> {
    groups.add(items);
    Promise<Void> p = Promise.promise();
    writes.add(p);
    return p.future();
  });

  @Test
  void writesThatArriveWhileOneIsUnderWayGoTogetherInTheNext() {
    Future<Void> first = grouped.add(1);
    Future<Void> second = grouped.add(2);
    Future<Void> third = grouped.add(3);
    assertEquals(List.of(List.of(1)), groups, "the first goes alone at once");
    writes.get(0).complete();
    assertTrue(first.succeeded());
    assertEquals(List.of(2, 3), groups.get(1), "the two that waited go in one write");
    assertTrue(!second.isComplete() && !third.isComplete(), "nothing is done before its write");
    writes.get(1).complete();
    assertTrue(second.succeeded() && third.succeeded());
  }

  @Test
  void aGroupIsBoundedAndAFailedWriteFailsItsGroupOnly() {
    Future<Void> first = grouped.add(0);
    List<Future<Void>> later = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      later.add(grouped.add(i));
    }
    writes.get(0).fail("statement failed");
    assertTrue(first.failed());
    assertEquals(List.of(1, 2, 3), groups.get(1));
    writes.get(1).complete();
    assertEquals(List.of(4), groups.get(2));
    writes.get(2).complete();
    assertTrue(later.stream().allMatch(Future::succeeded));
  }
}
