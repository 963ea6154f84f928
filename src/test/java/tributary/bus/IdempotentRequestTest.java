package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotentRequestTest {
  @Test
  void onlyAnUnansweredRequestIsAskedAgain() {
    assertTrue(IdempotentRequest.askAgain(new ReplyException(ReplyFailure.TIMEOUT, "late")));
    assertTrue(IdempotentRequest.askAgain(new ReplyException(ReplyFailure.NO_HANDLERS, "none")));
    assertFalse(IdempotentRequest.askAgain(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "unknown")));
  }

  @Test
  void aConsumerThatNeverAnswersCostsOneAttemptAndTheNextConsumerAnswers() {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger silent = new AtomicInteger();
      // Round robin: the first request goes to the silent consumer (as to a node that just died), the next to the live one.
      vertx.eventBus().consumer("idempotent.test", m -> silent.incrementAndGet());
      vertx.eventBus().consumer("idempotent.test", m -> m.reply("answer"));
      String answer = await(IdempotentRequest.<String>send(vertx.eventBus(), "idempotent.test", "q")).body();
      assertEquals("answer", answer);
      assertTrue(silent.get() <= 1, "at most one attempt lost to the silent consumer");
    } finally {
      await(vertx.close());
    }
  }
}
