package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.placement.ClusterLoad.Node;
import tributary.placement.ClusterLoad.Score;

class ClusterLoadTest {
  private static final double EPS = 1e-6;
  private static final LoadWeights WEIGHTS = new LoadWeights(0.4, 0.3, 0.2, 0.1, 0.6, 0.4);

  /*
   * Three nodes, computed by hand. q = (0.4, 0.3, 0.2, 0.1), k = (0.6, 0.4).
   *        c (GHz x cores)  m (GiB)  i (MB/s)  n (MB/s)   cu    mu   iu    nu    f
   *   A        16              32       200      1000     0.5   0.5  0.25  0.1   100
   *   B         8              16       100      1000     0.25  0.5  0.5   0.2   300
   *   C         8              32       200       500     0     0    0     0       0
   * Ratios to the best (16, 32, 200, 1000): A (1, 1, 1, 1), B (0.5, 0.5, 0.5, 1), C (0.5, 1, 1, 0.5).
   * x_p: A (0.4+0.3+0.2+0.1)/4 = 0.25; B (0.2+0.15+0.1+0.1)/4 = 0.1375; C (0.2+0.3+0.2+0.05)/4 = 0.1875;
   *      sum 0.575, so x: A 0.434783, B 0.239130, C 0.326087.
   * t:   A (0.4*0.5 + 0.3*0.5 + 0.2*0.25 + 0.1*0.1)/4 = 0.41/4 = 0.1025;
   *      B (0.4*0.5*0.25 + 0.3*0.5*0.5 + 0.2*0.5*0.5 + 0.1*1*0.2)/4 = 0.195/4 = 0.04875; C 0; sum 0.15125.
   * w:   remaining A 0.1475, B 0.08875, C 0.1875, sum 0.42375: A 0.348083, B 0.209440, C 0.442478.
   * b:   p = (0.25, 0.75, 0): A 0.25/0.434783 = 0.575, B 0.75/0.239130 = 3.136364, C 0.
   * l:   t shares (0.677686, 0.322314, 0): A 1.558678, B 1.347859, C 0.
   * load = 0.6 l + 0.4 b: A 0.935207 + 0.23 = 1.165207; B 0.808715 + 1.254545 = 2.063261; C 0.
   */
  @Test
  void threeNodesComputedByHand() {
    List<Score> scores = ClusterLoad.score(List.of(
        new Node("A", 16, 32, 200, 1000, 0.5, 0.5, 0.25, 0.1, 100),
        new Node("B", 8, 16, 100, 1000, 0.25, 0.5, 0.5, 0.2, 300),
        new Node("C", 8, 32, 200, 500, 0, 0, 0, 0, 0)), WEIGHTS);
    Score a = scores.get(0);
    Score b = scores.get(1);
    Score c = scores.get(2);
    assertEquals(0.25, a.performance(), EPS);
    assertEquals(0.1375, b.performance(), EPS);
    assertEquals(0.1875, c.performance(), EPS);
    assertEquals(0.1025, a.physical(), EPS);
    assertEquals(0.04875, b.physical(), EPS);
    assertEquals(0.348083, a.weight(), EPS);
    assertEquals(0.209440, b.weight(), EPS);
    assertEquals(0.442478, c.weight(), EPS);
    assertEquals(1.0, a.weight() + b.weight() + c.weight(), EPS);
    assertEquals(0.575, a.workLoad(), EPS);
    assertEquals(3.136364, b.workLoad(), EPS);
    assertEquals(1.558678, a.physicalLoad(), EPS);
    assertEquals(1.347859, b.physicalLoad(), EPS);
    assertEquals(1.165207, a.load(), EPS);
    assertEquals(2.063261, b.load(), EPS);
    assertEquals(0.0, c.load(), EPS);
  }

  @Test
  void oneNodeCarriesTheWholeClusterShare() {
    Score only = ClusterLoad.score(List.of(new Node("A", 16, 32, 200, 1000, 0.5, 0.5, 0.5, 0.5, 10)), WEIGHTS).get(0);
    assertEquals(0.25, only.performance(), EPS);
    assertEquals(1.0, only.weight(), EPS);
    assertEquals(1.0, only.capacityShare(), EPS);
    assertEquals(1.0, only.physicalLoad(), EPS);
    assertEquals(1.0, only.workLoad(), EPS);
    assertEquals(1.0, only.load(), EPS);
  }

  @Test
  void anAllIdleClusterScoresZeroEverywhereAndSplitsItsCapacityByPerformance() {
    List<Score> scores = ClusterLoad.score(List.of(
        new Node("A", 16, 32, 200, 1000, 0, 0, 0, 0, 0),
        new Node("B", 8, 16, 100, 500, 0, 0, 0, 0, 0)), WEIGHTS);
    assertEquals(0.0, scores.get(0).load(), EPS);
    assertEquals(0.0, scores.get(1).load(), EPS);
    assertEquals(2.0 / 3, scores.get(0).weight(), EPS); // x_p 0.25 and 0.125
  }

  @Test
  void aNodeWithNoPendingWorkHasNoWorkLoadAndBusyNodesRankBehindIt() {
    List<Score> scores = ClusterLoad.score(List.of(
        new Node("busy", 8, 16, 100, 1000, 0.2, 0.2, 0.2, 0.2, 500),
        new Node("free", 8, 16, 100, 1000, 0.2, 0.2, 0.2, 0.2, 0)), WEIGHTS);
    assertEquals(0.0, scores.get(1).workLoad(), EPS);
    assertEquals(2.0, scores.get(0).workLoad(), EPS); // all the work on half the capacity
    assertEquals(true, scores.get(1).load() < scores.get(0).load());
  }

  @Test
  void zeroOrMissingCapacitiesAndSumsGiveZeroNotNaN() {
    List<Score> scores = ClusterLoad.score(List.of(
        new Node("A", 0, 0, 0, 0, 1, 1, 1, 1, 0),
        new Node("B", 0, 0, 0, 0, Double.NaN, 0, 0, 0, 0)), WEIGHTS);
    for (Score s : scores) {
      assertEquals(0.0, s.load(), EPS);
      assertEquals(0.0, s.weight(), EPS);
    }
    assertEquals(List.of(), ClusterLoad.score(List.of(), WEIGHTS));
  }

  @Test
  void theWorkOfMediaCountsTheirDurationAndTheBitrateStandard() {
    PendingWork video = new PendingWork().add(PendingWork.partOf("transcode", "video"), 100, 1800);
    assertEquals(100 * (0.5 + 3.1579), video.weighed(PendingWork.Bitrate.MEDIUM.standard), EPS);
    PendingWork files = new PendingWork();
    String[][] items = {{"transcode", "document"}, {"protect", "document"}, {"protect", "video"},
        {"protect", "image"}, {"protect", "other"}, {"mirror", "video"}, {"compress", "image"}, {"recycle", "video"}};
    for (int i = 0; i < items.length; i++) {
      files.add(PendingWork.partOf(items[i][0], items[i][1]), i + 1);
    }
    assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7, files.weighed(PendingWork.Bitrate.HIGH.standard), EPS, "recycling moves nothing");
    assertEquals(0, new PendingWork().weighed(PendingWork.Bitrate.LOW.standard), EPS);
    assertEquals(PendingWork.Part.TRANSCODE_AUDIO, PendingWork.partOf("transcode", "audio"));
    assertEquals(PendingWork.Part.TRANSCODE_DOCUMENT, PendingWork.partOf("transcode", "image"));
  }

  @Test
  void weightsOutsideTheSeedsRulesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LoadWeights(0.5, 0.5, 0, 0, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new LoadWeights(0.3, 0.3, 0.3, 0.3, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new LoadWeights(0.25, 0.25, 0.25, 0.25, 0.7, 0.7));
    assertThrows(IllegalArgumentException.class, () -> LoadWeights.parse("0.25,0.25,0.25", "0.5,0.5"));
    assertThrows(IllegalArgumentException.class, () -> LoadWeights.parse("a,b,c,d", "0.5,0.5"));
    assertEquals(new LoadWeights(0.25, 0.25, 0.25, 0.25, 1, 0), LoadWeights.parse("0.25, 0.25,0.25,0.25", "1,0"));
  }
}
