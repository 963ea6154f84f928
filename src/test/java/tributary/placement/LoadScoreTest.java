package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's score applied to heartbeats: what makes one storage node rank ahead of another. */
class LoadScoreTest {
  private static final long RATE = 100_000_000L;

  private static StoreLoad node(String id, double cpu, double memory, long disk, long diskCapacity, double cpuCapacity,
      double pendingWork) {
    return new StoreLoad(id, "h", "site", "http://" + id, cpu, memory, disk, 0, diskCapacity, RATE, 0, 0, cpuCapacity,
        1L << 34, pendingWork, 0, 0);
  }

  private static List<String> ranked(LoadScore score, StoreLoad... nodes) {
    return score.rank(List.of(nodes)).stream().map(StoreLoad::storeId).toList();
  }

  @Test
  void anIdleNodeRanksAheadOfABusyOne() {
    assertEquals(List.of("idle", "busy"), ranked(LoadScore.DEFAULT,
        node("busy", 0.8, 0.7, RATE / 2, RATE, 16, 0), node("idle", 0.05, 0.1, 0, RATE, 16, 0)));
  }

  @Test
  void pendingWorkRanksANodeBehindOneWithout() {
    assertEquals(List.of("free", "queued"), ranked(LoadScore.DEFAULT,
        node("queued", 0.2, 0.2, 0, RATE, 16, 5e9), node("free", 0.2, 0.2, 0, RATE, 16, 0)));
  }

  @Test
  void theSameUseOnTwiceTheCapacityRanksAhead() {
    // Both disks move 50 MB/s; one can do 200, the other 100: the larger has more room left.
    assertEquals(List.of("large", "small"), ranked(LoadScore.DEFAULT,
        node("small", 0.5, 0.5, RATE / 2, RATE, 8, 100), node("large", 0.5, 0.5, RATE / 2, 2 * RATE, 8, 100)));
  }

  @Test
  void theMixChoosesBetweenAPhysicallyBusyNodeAndOneWithQueuedWork() {
    StoreLoad busy = node("busy", 0.9, 0.9, RATE, RATE, 16, 0);
    StoreLoad queued = node("queued", 0.1, 0.1, 0, RATE, 16, 1e9);
    LoadScore physicalFirst = new LoadScore(new LoadWeights(0.25, 0.25, 0.25, 0.25, 0.9, 0.1), PendingWork.Bitrate.MEDIUM);
    LoadScore workFirst = new LoadScore(new LoadWeights(0.25, 0.25, 0.25, 0.25, 0.1, 0.9), PendingWork.Bitrate.MEDIUM);
    assertEquals(List.of("queued", "busy"), ranked(physicalFirst, busy, queued));
    assertEquals(List.of("busy", "queued"), ranked(workFirst, busy, queued));
  }

  @Test
  void equalNodesRankByStoreId() {
    assertEquals(List.of("a", "b", "c"), ranked(LoadScore.DEFAULT,
        node("c", 0.3, 0.3, 0, RATE, 8, 0), node("a", 0.3, 0.3, 0, RATE, 8, 0), node("b", 0.3, 0.3, 0, RATE, 8, 0)));
  }

  @Test
  void optionsParseAndWeightsOutsideTheSeedsRulesAreRefused() {
    assertEquals(LoadScore.DEFAULT, LoadScore.parse("0.25,0.25,0.25,0.25", "0.5,0.5", "medium"));
    assertEquals(PendingWork.Bitrate.HIGH, LoadScore.parse("0.25,0.25,0.25,0.25", "0.5,0.5", " HIGH").bitrate());
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("0.25,0.25,0.25,0.25", "0.5,0.5", "ultra"));
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,1,1,1", "1,1", "low"));
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,0,0,0", "1,0", "low"));
  }
}
