package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams catching up share a bounded number of store reads; the rest wait their turn, in order. */
class CatchUpGateTest {
  @Test
  void readsBeyondTheBoundWaitForARunningOneToEnd() {
    CatchUpGate gate = new CatchUpGate(2);
    List<Promise<String>> started = new ArrayList<>();
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(gate.submit(() -> {
        Promise<String> p = Promise.promise();
        started.add(p);
        return p.future();
      }));
    }
    assertEquals(2, started.size());
    assertEquals(2, gate.queued());
    started.get(1).complete("b");
    assertEquals(3, started.size(), "the next in line starts");
    assertEquals("b", answers.get(1).result());
    started.get(0).fail("store down");
    assertTrue(answers.get(0).failed(), "a failure is the reader's answer");
    assertEquals(4, started.size());
    assertEquals(0, gate.queued());
  }

  @Test
  void aReadThatThrowsFreesItsPlace() {
    CatchUpGate gate = new CatchUpGate(1);
    Future<String> thrown = gate.submit(() -> {
      throw new IllegalStateException("bad");
    });
    assertTrue(thrown.failed());
    assertEquals("ok", gate.submit(() -> Future.succeededFuture("ok")).result());
  }
}
