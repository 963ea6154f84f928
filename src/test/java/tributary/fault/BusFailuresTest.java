package tributary.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class BusFailuresTest {
  @Test
  void aRecipientsStatusComesBackAsTheSameRefusal() {
    Refusal r = BusFailures.classify(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "taken"));
    assertEquals(409, r.status());
    assertEquals("conflict", r.code());
    assertEquals("taken", r.getMessage());
    assertEquals(409, BusFailures.recipientStatus(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "x")));
    assertEquals(-1, BusFailures.recipientStatus(new ReplyException(ReplyFailure.TIMEOUT, "x")));
  }

  @Test
  void noAnswerNoRoleAndNoDatabaseAre503AndTheRestIsInternal() {
    assertEquals(503, BusFailures.classify(new ReplyException(ReplyFailure.TIMEOUT, "t")).status());
    assertEquals(503, BusFailures.classify(new ReplyException(ReplyFailure.NO_HANDLERS, "n")).status());
    assertEquals(503, BusFailures.classify(new RuntimeException(new ConnectException("refused"))).status());
    assertNull(BusFailures.refusalOf(new IllegalStateException("bug")));
    assertEquals(500, BusFailures.classify(new IllegalStateException("bug")).status());
    Refusal local = Refusal.forbidden("no");
    assertSame(local, BusFailures.classify(local));
  }

  @Test
  void onlyARefusalByTheRecipientOrNoRecipientTookNoEffect() {
    assertFalse(BusFailures.mayHaveTakenEffect(new ReplyException(ReplyFailure.NO_HANDLERS, "n")));
    assertFalse(BusFailures.mayHaveTakenEffect(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "n")));
    assertTrue(BusFailures.mayHaveTakenEffect(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 504, "u")));
    assertTrue(BusFailures.mayHaveTakenEffect(new ReplyException(ReplyFailure.TIMEOUT, "t")));
    assertTrue(BusFailures.mayHaveTakenEffect(new RuntimeException("local")));
    assertEquals("outcome_unknown", Refusal.codeFor(BusFailures.OUTCOME_UNKNOWN));
  }
}
