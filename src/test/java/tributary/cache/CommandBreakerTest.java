package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandBreakerTest {
  @Test
  void aTimeoutRefusesCommandsForTheCoolDownThenLetsOneProbeThrough() {
    CommandBreaker breaker = new CommandBreaker(1000);
    assertTrue(breaker.allows(0));
    breaker.timedOut(100);
    assertFalse(breaker.allows(500), "refused during the cool-down");
    assertFalse(breaker.allows(1099));
    assertTrue(breaker.allows(1100), "one probe after the cool-down");
    assertFalse(breaker.allows(1101), "others wait for the probe");
    breaker.timedOut(1600);
    assertFalse(breaker.allows(2000), "a probe that times out opens it again");
    assertTrue(breaker.allows(2600));
    breaker.answered();
    assertTrue(breaker.allows(2601), "an answer lets all through");
    assertTrue(breaker.allows(2602));
  }
}
