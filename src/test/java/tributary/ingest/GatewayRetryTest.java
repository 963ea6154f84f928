package tributary.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class GatewayRetryTest {
  private static ReplyException refused(int status) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, "refused " + status);
  }

  @Test
  void aSilentGatewayIsReplacedAfterAGrowingWaitAndTheOutcomeBecomesUnknown() {
    ReplyException timeout = new ReplyException(ReplyFailure.TIMEOUT, "timed out");
    GatewayRetry first = GatewayRetry.after(timeout, 0, false, 0, 10_000);
    assertEquals(GatewayRetry.Action.RETRY, first.action());
    assertEquals(100, first.delayMs());
    assertTrue(first.mayHaveCommitted(), "a timeout cannot tell whether core committed");
    assertEquals(200, GatewayRetry.after(timeout, 1, false, 0, 10_000).delayMs());
    assertEquals(1000, GatewayRetry.after(timeout, 9, false, 0, 10_000).delayMs());
  }

  @Test
  void anUnknownOutcomeIsAnsweredOnceTheDeadlineLeavesNoRoomForAnotherAttempt() {
    GatewayRetry last = GatewayRetry.after(new ReplyException(ReplyFailure.TIMEOUT, "t"), 0, false, 9_950, 10_000);
    assertEquals(GatewayRetry.Action.UNKNOWN, last.action());
  }

  @Test
  void aGatewayWithoutHandlersIsRetriedAndIsARefusalAtTheDeadline() {
    ReplyException none = new ReplyException(ReplyFailure.NO_HANDLERS, "no gateway");
    assertEquals(GatewayRetry.Action.RETRY, GatewayRetry.after(none, 0, false, 0, 10_000).action());
    GatewayRetry late = GatewayRetry.after(none, 0, false, 10_000, 10_000);
    assertEquals(GatewayRetry.Action.REFUSE, late.action());
    assertEquals(503, late.refusal().status());
    assertFalse(late.mayHaveCommitted(), "nobody took it");
  }

  @Test
  void aRefusalGoesStraightBackAndSoDoesAGatewaysDefinite503() {
    GatewayRetry full = GatewayRetry.after(refused(429), 0, false, 0, 10_000);
    assertEquals(GatewayRetry.Action.REFUSE, full.action());
    assertEquals(429, full.refusal().status());
    assertEquals("too_many_requests", full.refusal().code());
    GatewayRetry down = GatewayRetry.after(refused(503), 0, false, 0, 10_000);
    assertEquals(GatewayRetry.Action.REFUSE, down.action());
    assertEquals(503, down.refusal().status());
  }

  @Test
  void anAttemptThatMayHaveCommittedIsNeverAnsweredAsARefusal() {
    assertEquals(GatewayRetry.Action.UNKNOWN, GatewayRetry.after(refused(429), 2, true, 0, 10_000).action());
    GatewayRetry unknown = GatewayRetry.after(refused(504), 0, false, 0, 10_000);
    assertEquals(GatewayRetry.Action.RETRY, unknown.action(), "a gateway's 504 is tried again with the same ids");
    assertTrue(unknown.mayHaveCommitted());
  }

  @Test
  void theRequestMayTakeFiveForwardBudgetsInAll() {
    assertEquals(50_000, GatewayRetry.deadlineMs(10_000));
  }
}
