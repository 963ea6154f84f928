package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadScoreTest {
  private static final long CAPACITY = 200_000_000L;
  private static final LoadScore EVEN = new LoadScore(1, 1, 1, 1, 1, 1);

  private static StoreLoad node(double cpu, double memory, long disk, long net, long diskCapacity, long netCapacity,
                                long pending) {
    return new StoreLoad("s", "h", "site", "http://s", cpu, memory, disk, net, diskCapacity, netCapacity, pending, 0);
  }

  /** A node busy only in resource {@code i} (0 cpu, 1 memory, 2 disk, 3 network), at half its capacity. */
  private static StoreLoad halfBusyIn(int i) {
    return node(i == 0 ? 0.5 : 0, i == 1 ? 0.5 : 0, i == 2 ? CAPACITY / 2 : 0, i == 3 ? CAPACITY / 2 : 0,
        CAPACITY, CAPACITY, 0);
  }

  /** Weights 1,1,1,1 with weight {@code i} set to {@code w}; physical part only. */
  private static LoadScore physicalWeights(int i, double w) {
    double[] q = {1, 1, 1, 1};
    q[i] = w;
    return new LoadScore(q[0], q[1], q[2], q[3], 1, 0);
  }

  @Test
  void anIdleNodeScoresZero() {
    assertEquals(0.0, EVEN.score(node(0, 0, 0, 0, CAPACITY, CAPACITY, 0)));
  }

  @Test
  void aSaturatedNodeScoresOne() {
    assertEquals(1.0, EVEN.score(node(1, 1, CAPACITY, CAPACITY, CAPACITY, CAPACITY, CAPACITY * 10)), 1e-12);
  }

  @Test
  void loadBeyondCapacityStillScoresOne() {
    assertEquals(1.0, EVEN.score(node(3, 2, CAPACITY * 5, CAPACITY * 5, CAPACITY, CAPACITY, CAPACITY * 100)), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void aHeavierWeightOnABusyResourceRaisesTheScore(int resource) {
    StoreLoad busy = halfBusyIn(resource);
    double light = physicalWeights(resource, 1).score(busy);
    double heavy = physicalWeights(resource, 3).score(busy);
    assertEquals(0.5 / 4, light, 1e-12);
    assertEquals(0.5 * 3 / 6, heavy, 1e-12);
    assertTrue(heavy > light);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void aHeavierWeightOnAnIdleResourceLowersTheScore(int resource) {
    StoreLoad busyElsewhere = halfBusyIn((resource + 1) % 4);
    assertTrue(physicalWeights(resource, 3).score(busyElsewhere) < physicalWeights(resource, 1).score(busyElsewhere));
  }

  @Test
  void theMixWeightsMovePhysicalAndWorkParts() {
    StoreLoad physicallyBusy = node(1, 1, CAPACITY, CAPACITY, CAPACITY, CAPACITY, 0);
    StoreLoad onlyPendingWork = node(0, 0, 0, 0, CAPACITY, CAPACITY, CAPACITY * 10);
    LoadScore physicalHeavy = new LoadScore(1, 1, 1, 1, 3, 1);
    LoadScore workHeavy = new LoadScore(1, 1, 1, 1, 1, 3);
    assertTrue(physicalHeavy.score(physicallyBusy) > workHeavy.score(physicallyBusy));
    assertTrue(workHeavy.score(onlyPendingWork) > physicalHeavy.score(onlyPendingWork));
    assertEquals(0.75, physicalHeavy.score(physicallyBusy), 1e-12);
    assertEquals(0.75, workHeavy.score(onlyPendingWork), 1e-12);
  }

  @Test
  void theSameDiskRateOnTwiceTheCapacityScoresLower() {
    LoadScore diskOnly = new LoadScore(0, 0, 1, 0, 1, 0);
    long rate = 100_000_000L;
    double small = diskOnly.score(node(0, 0, rate, 0, 200_000_000L, CAPACITY, 0));
    double big = diskOnly.score(node(0, 0, rate, 0, 400_000_000L, CAPACITY, 0));
    assertEquals(0.5, small, 1e-12);
    assertEquals(0.25, big, 1e-12);
  }

  @Test
  void theSameNetworkRateOnTwiceTheCapacityScoresLower() {
    LoadScore netOnly = new LoadScore(0, 0, 0, 1, 1, 0);
    long rate = 100_000_000L;
    assertTrue(netOnly.score(node(0, 0, 0, rate, CAPACITY, 400_000_000L, 0))
        < netOnly.score(node(0, 0, 0, rate, CAPACITY, 200_000_000L, 0)));
  }

  @Test
  void pendingWorkRaisesTheScore() {
    double none = EVEN.score(node(0, 0, 0, 0, CAPACITY, CAPACITY, 0));
    double fiveSeconds = EVEN.score(node(0, 0, 0, 0, CAPACITY, CAPACITY, CAPACITY * 5));
    double tenSeconds = EVEN.score(node(0, 0, 0, 0, CAPACITY, CAPACITY, CAPACITY * 10));
    assertTrue(none < fiveSeconds && fiveSeconds < tenSeconds);
    assertEquals(0.25, fiveSeconds, 1e-12);
    assertEquals(0.5, tenSeconds, 1e-12);
  }

  @Test
  void theSamePendingWorkOnAFasterDiskScoresLower() {
    LoadScore workOnly = new LoadScore(1, 1, 1, 1, 0, 1);
    long pending = 1_000_000_000L;
    assertTrue(workOnly.score(node(0, 0, 0, 0, 400_000_000L, CAPACITY, pending))
        < workOnly.score(node(0, 0, 0, 0, 200_000_000L, CAPACITY, pending)));
  }

  @Test
  void parseReadsFourPhysicalWeightsAndTwoMixWeights() {
    assertEquals(new LoadScore(1, 2, 0.5, 0, 3, 1), LoadScore.parse(" 1, 2 ,0.5,0", "3 ,1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,1,1", "1,1,1,1,1", "1", "", "1,1,1,1,"})
  void parseRefusesTheWrongNumberOfPhysicalWeights(String physical) {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse(physical, "1,1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1,1,1", "", "1,"})
  void parseRefusesTheWrongNumberOfMixWeights(String mix) {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,1,1,1", mix));
  }

  @Test
  void parseRefusesNegativeWeights() {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,-1,1,1", "1,1"));
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,1,1,1", "1,-0.5"));
  }

  @Test
  void parseRefusesAllZeroWeights() {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("0,0,0,0", "1,1"));
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,1,1,1", "0,0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a,1,1,1", "1,,1,1", "1,1,1,x", "NaN,1,1,1", "Infinity,1,1,1", "1,1,1,-Infinity"})
  void parseRefusesPhysicalWeightsThatAreNotFiniteNumbers(String physical) {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse(physical, "1,1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a,1", "1,", ",1", "1,x", "NaN,1", "1,Infinity"})
  void parseRefusesMixWeightsThatAreNotFiniteNumbers(String mix) {
    assertThrows(IllegalArgumentException.class, () -> LoadScore.parse("1,1,1,1", mix));
  }
}
