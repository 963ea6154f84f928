package tributary.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class RedeliveryTest {
  private static ReplyException refused(int status) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, "core says " + status);
  }

  @Test
  void aForwardCoreDidNotAnswerIsRedeliveredWithAGrowingWaitWhileTheEdgeWaits() {
    ReplyException timeout = new ReplyException(ReplyFailure.TIMEOUT, "timed out");
    Redelivery first = Redelivery.after(timeout, 0, false, 10, 1_000);
    assertTrue(first.redeliver());
    assertEquals(50, first.delayMs());
    assertTrue(first.mayHaveCommitted());
    assertNull(first.answer());
    assertEquals(100, Redelivery.after(timeout, 1, false, 10, 1_000).delayMs());
    assertEquals(1000, Redelivery.after(timeout, 10, false, 10, 1_000).delayMs());
  }

  @Test
  void oncePastTheBudgetAForwardThatMayHaveCommittedIsAnsweredAsUnknown() {
    Redelivery late = Redelivery.after(new ReplyException(ReplyFailure.TIMEOUT, "t"), 3, false, 1_000, 1_000);
    assertFalse(late.redeliver());
    assertEquals(504, late.answer().status());
  }

  @Test
  void coresDefiniteRefusalsAreAnsweredAtOnceWithTheirStatus() {
    for (int status : new int[] {503, 429, 400}) {
      Redelivery r = Redelivery.after(refused(status), 0, false, 0, 1_000);
      assertFalse(r.redeliver(), "status " + status);
      assertEquals(status, r.answer().status());
      assertEquals("core says " + status, r.answer().getMessage());
    }
  }

  @Test
  void coresInternalFailureIsRedeliveredAndAfterAnEarlierUnknownStaysUnknown() {
    assertTrue(Redelivery.after(refused(500), 0, false, 0, 1_000).redeliver());
    Redelivery r = Redelivery.after(refused(503), 1, true, 0, 1_000);
    assertFalse(r.redeliver());
    assertEquals(504, r.answer().status(), "an earlier forward may have committed");
  }

  @Test
  void noCoreAtAllIsADefinite503OnceThePatienceIsSpent() {
    ReplyException none = new ReplyException(ReplyFailure.NO_HANDLERS, "no core");
    assertTrue(Redelivery.after(none, 0, false, 0, 1_000).redeliver());
    Redelivery r = Redelivery.after(none, 0, false, 2_000, 1_000);
    assertFalse(r.mayHaveCommitted());
    assertEquals(503, r.answer().status());
    assertEquals("no core took the batch; nothing of it was committed", r.answer().getMessage());
  }
}
