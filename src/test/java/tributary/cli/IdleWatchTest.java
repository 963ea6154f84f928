package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tributary.config.Option;

class IdleWatchTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void aSilentStreamIsClosedOnceItsLimitHasPassed() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    long began = System.nanoTime();
    IdleWatch watch = new IdleWatch(timer, Duration.ofMillis(200), closed::countDown);
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the silent stream is closed");
    assertTrue(System.nanoTime() - began >= TimeUnit.MILLISECONDS.toNanos(200), "not before its limit");
    assertTrue(watch.expired());
  }

  @Test
  void aWatchClosedFirstNeverClosesItsStream() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    Closeable stream = closed::countDown;
    IdleWatch watch = new IdleWatch(timer, Duration.ofMillis(50), stream);
    watch.close();
    timer.shutdown();
    assertTrue(timer.awaitTermination(10, TimeUnit.SECONDS), "every check the timer held has run or was dropped");
    assertEquals(1, closed.getCount(), "the stream was left open");
    assertFalse(watch.expired());
  }

  @Test
  void theDefaultIdleTimeoutIsThreeOfTheNodesDefaultHeartbeats() {
    assertEquals(3 * Long.parseLong(Option.SSE_HEARTBEAT_MS.defaultValue()),
        Long.parseLong(TailCommand.DEFAULT_IDLE_SECONDS) * 1000);
  }
}
