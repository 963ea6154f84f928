package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveReadsTest {
  @Test
  void eachOpenStreamCountsAsOneReadPerSecondItStaysOpen() {
    LiveReads live = new LiveReads(0);
    assertEquals(Map.of("watched", 6L, "busy", 30L), live.take(Map.of("watched", 2, "busy", 10), 3_000));
  }

  @Test
  void shortPeriodsAddUpInsteadOfRoundingToNothing() {
    LiveReads live = new LiveReads(0);
    assertEquals(Map.of(), live.take(Map.of("c", 1), 400));
    assertEquals(Map.of(), live.take(Map.of("c", 1), 800));
    assertEquals(Map.of("c", 1L), live.take(Map.of("c", 1), 1_200));
    assertEquals(Map.of(), live.take(Map.of("c", 1), 1_900), "200 ms carried + 700");
    assertEquals(Map.of("c", 1L), live.take(Map.of("c", 1), 2_000));
  }

  @Test
  void aChannelWhoseStreamsClosedStopsCountingAndLeavesNothingBehind() {
    LiveReads live = new LiveReads(0);
    live.take(Map.of("c", 1), 900);
    assertEquals(Map.of(), live.take(Map.of(), 5_000));
    assertEquals(Map.of(), live.take(Map.of("c", 1), 5_200), "the 900 ms carried before were dropped at close");
  }
}
