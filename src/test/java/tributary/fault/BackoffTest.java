package tributary.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheBaseUntilTheCapAndStaysThere() {
    Backoff b = new Backoff(200, 5_000);
    assertEquals(0, b.delayMs(0));
    assertEquals(200, b.delayMs(1));
    assertEquals(400, b.delayMs(2));
    assertEquals(3_200, b.delayMs(5));
    assertEquals(5_000, b.delayMs(6));
    assertEquals(5_000, b.delayMs(1_000), "no overflow however many failures");
    assertEquals(Long.MAX_VALUE, new Backoff(1, Long.MAX_VALUE).delayMs(64));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5));
  }
}
