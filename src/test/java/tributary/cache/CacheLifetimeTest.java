package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheLifetimeTest {
  private final AdaptiveTtl ttl = new AdaptiveTtl(60_000, 3_600_000, 1.0);

  @Test
  void aFixedTtlIgnoresReads() {
    assertEquals(600_000, ttl.effective(600_000, false, 500));
  }

  @Test
  void adaptiveTtlGrowsWithReadsAndStaysWithinBounds() {
    assertEquals(60_000, ttl.effective(600_000, true, 0), "an idle channel gets the minimum");
    assertEquals(600_000, ttl.effective(600_000, true, 1), "the reference rate keeps the base");
    assertEquals(1_200_000, ttl.effective(600_000, true, 2));
    assertEquals(3_600_000, ttl.effective(600_000, true, 1000), "capped at the maximum");
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveTtl(10, 5, 1));
  }

  @Test
  void theReadRateIsAMovingAverage() {
    assertEquals(60.0, AdaptiveTtl.nextRate(-1, 10, 10_000, 0.5), 1e-9, "first sample taken as is");
    assertEquals(30.0, AdaptiveTtl.nextRate(60.0, 0, 10_000, 0.5), 1e-9, "halves in an idle period");
  }

  @Test
  void theCleanerTrimsWhatIsOlderThanTheTtl() {
    TrimDecision d = TrimDecision.decide(100_000, 50_000, 99_000, 99_500, 1, 40, 100);
    assertEquals(TrimDecision.Action.TRIM, d.action());
    assertEquals(40, d.minKeepCursor());
  }

  @Test
  void theCleanerKeepsACacheThatHoldsOnlyLiveEntries() {
    assertEquals(TrimDecision.Action.KEEP, TrimDecision.decide(100_000, 50_000, 99_000, 99_500, 40, 40, 100).action());
    assertEquals(TrimDecision.Action.KEEP, TrimDecision.decide(100_000, 50_000, 99_000, 99_500, 45, 40, 100).action());
  }

  @Test
  void everythingOlderThanTheTtlIsTrimmedAndIdleChannelsDropped() {
    TrimDecision all = TrimDecision.decide(100_000, 50_000, 99_000, 60_000, 1, -1, 100);
    assertEquals(TrimDecision.Action.TRIM, all.action());
    assertEquals(101, all.minKeepCursor(), "nothing within the TTL: trim everything");
    assertEquals(TrimDecision.Action.DROP, TrimDecision.decide(100_000, 50_000, 40_000, 30_000, 1, -1, 100).action());
    assertTrue(TrimDecision.decide(100_000, 50_000, 60_000, 30_000, 1, -1, 100).action() != TrimDecision.Action.DROP,
        "a channel read recently is not idle");
  }
}
