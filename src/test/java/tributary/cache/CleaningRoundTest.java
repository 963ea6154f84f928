package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleaningRoundTest {
  private static final long MINUTE = 60_000;
  /** Adaptive TTLs between 1 s and 1 h; a channel with no setting keeps 10 s, not adaptive; idle after 5 min. */
  private final CleaningRound round = new CleaningRound(new AdaptiveTtl(1_000, 3_600_000, 1.0), MINUTE,
      new ChannelCacheSettings.Setting(10_000, false), 5 * MINUTE);

  @Test
  void aNewChannelsRateIsItsFirstPeriodsReadsAndItKeepsTheDefaultTtl() {
    Map<String, CleaningRound.ChannelTtl> ttls = round.ttls(List.of("a", "b"), Map.of("a", "6"), Map.of(), Map.of());
    assertEquals(new CleaningRound.ChannelTtl(6.0, 10_000), ttls.get("a"));
    assertEquals(new CleaningRound.ChannelTtl(0.0, 10_000), ttls.get("b"), "no reads counted is a rate of zero");
    assertEquals(List.of("a", "b"), List.copyOf(ttls.keySet()));
  }

  @Test
  void theRateMovesHalfWayToTheNewPeriodsAndAnAdaptiveTtlFollowsIt() {
    Map<String, CleaningRound.ChannelTtl> ttls = round.ttls(List.of("a"), Map.of("a", "10"), Map.of("a", "2.0"),
        Map.of("a", new ChannelCacheSettings.Setting(10_000, true)));
    assertEquals(6.0, ttls.get("a").readRate());
    assertEquals(60_000, ttls.get("a").ttlMs(), "six reads a minute keep records six times the base");
  }

  @Test
  void aChannelSwitchedOutOfTheCacheGetsNoTtlAndItsStreamGoes() {
    Map<String, ChannelCacheSettings.Setting> settings = Map.of("off",
        new ChannelCacheSettings.Setting(10_000, false, false));
    assertEquals(List.of("off"), round.switchedOff(List.of("on", "off"), settings));
    assertEquals(List.of("on"), List.copyOf(round.ttls(List.of("on", "off"), Map.of(), Map.of(), settings).keySet()));
  }

  @Test
  void anAdaptiveChannelNobodyReadsKeepsOnlyTheMinimum() {
    Map<String, CleaningRound.ChannelTtl> ttls = round.ttls(List.of("a"), Map.of(), Map.of("a", "0"),
        Map.of("a", new ChannelCacheSettings.Setting(10_000, true)));
    assertEquals(1_000, ttls.get("a").ttlMs());
  }

  @Test
  void aChannelNeitherReadNorWrittenForTheIdleLimitIsDroppedElseTrimmedToItsTtl() {
    long now = 100 * MINUTE;
    ChannelCacheSettings.TrimPoint written = new ChannelCacheSettings.TrimPoint(40, 90, now - MINUTE);
    assertEquals(TrimDecision.Action.TRIM, round.trim(now, "a", Map.of(), written, 10).action());
    assertEquals(40, round.trim(now, "a", Map.of(), written, 10).minKeepCursor());
    ChannelCacheSettings.TrimPoint idle = new ChannelCacheSettings.TrimPoint(40, 90, now - 10 * MINUTE);
    assertEquals(TrimDecision.Action.DROP, round.trim(now, "a", Map.of(), idle, 10).action());
    assertEquals(TrimDecision.Action.TRIM, round.trim(now, "a", Map.of("a", String.valueOf(now - MINUTE)), idle, 10)
        .action(), "a recent read keeps an unwritten channel");
    assertEquals(TrimDecision.Action.KEEP, round.trim(now, "a", Map.of(), written, 40).action());
  }
}
