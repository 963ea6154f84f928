package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveChannelsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void streamsOpeningTogetherShareOneReadOfTheChannelsEnd() {
    LiveChannels live = new LiveChannels(vertx, null, () -> 60_000,
        new SimpleMeterRegistry().timer("notice"), new LiveChannels.Shared());
    AtomicInteger reads = new AtomicInteger();
    Promise<Long> store = Promise.promise();
    Future<Long> first = live.end("c", () -> {
      reads.incrementAndGet();
      return store.future();
    });
    Future<Long> second = live.end("c", () -> {
      reads.incrementAndGet();
      return Future.succeededFuture(99L);
    });
    assertSame(first, second, "the second stream waits for the read already running");
    assertEquals(1, reads.get());
    store.complete(41L);
    assertEquals(41L, second.result());
    assertEquals(7L, live.end("c", () -> {
      reads.incrementAndGet();
      return Future.succeededFuture(7L);
    }).result(), "once the read is done, a later stream reads again (no tail knows the channel)");
    assertEquals(2, reads.get());
    assertEquals(3L, live.end("other", () -> Future.succeededFuture(3L)).result(), "channels read on their own");
  }
}
