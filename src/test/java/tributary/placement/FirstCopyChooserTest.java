package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstCopyChooserTest {
  /** Nodes alike but for their CPU use, so they rank by it. */
  private static final LoadScore CPU_ONLY = new LoadScore(new LoadWeights(0.97, 0.01, 0.01, 0.01, 1, 0),
      PendingWork.Bitrate.MEDIUM);
  private static final DiskRoom NO_MARGIN = new DiskRoom(0);
  private static final long MIB = 1 << 20;

  private static StoreLoad node(String id, double cpu) {
    return new StoreLoad(id, "host-" + id, "site", "http://" + id, cpu, 0, 0, 0, 1, 1, 0, 0);
  }

  private final StoreLoad busy = node("busy", 0.9);
  private final StoreLoad best = node("best", 0.1);
  private final StoreLoad middle = node("middle", 0.5);
  private final StoreLoad second = node("second", 0.2);
  private final List<StoreLoad> nodes = List.of(busy, best, middle, second);

  @Test
  void aStaleScoreDoesNotSendEveryUploadToOneNode() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, NO_MARGIN);
    Map<String, Integer> counts = new HashMap<>();
    StoreLoad previous = null;
    for (int i = 0; i < 100; i++) {
      StoreLoad chosen = chooser.choose(nodes, 0);
      counts.merge(chosen.storeId(), 1, Integer::sum);
      assertNotEquals(previous, chosen, "the two least-loaded nodes take turns");
      previous = chosen;
    }
    assertEquals(Map.of("best", 50, "second", 50), counts);
  }

  /** A new snapshot of the live nodes is ranked anew, though the last one's ranking is kept. */
  @Test
  void aNewCandidateListIsRankedByItsOwnScores() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, NO_MARGIN);
    List<StoreLoad> before = List.of(busy, best, middle, second);
    for (int i = 0; i < 4; i++) {
      String id = chooser.choose(before, 0).storeId();
      assertEquals(true, id.equals("best") || id.equals("second"), id);
    }
    List<StoreLoad> after = List.of(node("busy", 0.05), node("best", 0.95), node("middle", 0.01),
        node("second", 0.9));
    for (int i = 0; i < 4; i++) {
      String id = chooser.choose(after, 0).storeId();
      assertEquals(true, id.equals("busy") || id.equals("middle"), id);
    }
    String id = chooser.choose(new ArrayList<>(before), 0).storeId();
    assertEquals(true, id.equals("best") || id.equals("second"), "an equal list that is not the same is ranked: " + id);
  }

  @Test
  void aThirdNodeIsNeverChosenWhileTwoAreLessLoaded() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, NO_MARGIN);
    for (int i = 0; i < 100; i++) {
      String id = chooser.choose(List.of(middle, busy, second, best), 0).storeId();
      assertEquals(true, id.equals("best") || id.equals("second"), id);
    }
  }

  @Test
  void equalScoresAreBrokenByStoreId() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, NO_MARGIN);
    List<StoreLoad> tied = List.of(node("c", 0.3), node("a", 0.3), node("b", 0.3));
    assertEquals("a", chooser.choose(tied, 0).storeId());
    assertEquals("b", chooser.choose(tied, 0).storeId());
    assertEquals("a", chooser.choose(tied, 0).storeId());
  }

  @Test
  void aSingleCandidateIsAlwaysChosen() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, NO_MARGIN);
    for (int i = 0; i < 10; i++) {
      assertEquals(busy, chooser.choose(List.of(busy), 0));
    }
  }

  @Test
  void noCandidateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FirstCopyChooser(CPU_ONLY, NO_MARGIN)
        .choose(List.of(), 0));
  }

  @Test
  void rankOrdersTheLeastLoadedFirst() {
    assertEquals(List.of(best, second, middle, busy), new FirstCopyChooser(CPU_ONLY, NO_MARGIN).rank(nodes));
  }

  /** Issue 10: a storage node with a full disk still received first copies. */
  @Test
  void aNodeWithoutRoomForTheBlobNeverGetsTheFirstCopy() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY, new DiskRoom(64 * MIB));
    StoreLoad full = new StoreLoad("full", "h1", "site", "http://full", 0.0, 0, 0, 0, 1, 1, 0, 10 * MIB);
    StoreLoad tight = new StoreLoad("tight", "h2", "site", "http://tight", 0.05, 0, 0, 0, 1, 1, 0, 65 * MIB - 1);
    StoreLoad roomy = new StoreLoad("roomy", "h3", "site", "http://roomy", 0.5, 0, 0, 0, 1, 1, 0, 65 * MIB);
    StoreLoad loaded = new StoreLoad("loaded", "h4", "site", "http://loaded", 0.9, 0, 0, 0, 1, 1, 0, 1L << 40);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      counts.merge(chooser.choose(List.of(full, tight, roomy, loaded), MIB).storeId(), 1, Integer::sum);
    }
    assertEquals(Map.of("roomy", 10, "loaded", 10), counts, "the least loaded two of those with room, in turn");
    assertEquals("tight", chooser.choose(List.of(full, tight, roomy), MIB - 1).storeId(),
        "a node is refused only below the blob's size plus the margin");
    assertThrows(IllegalArgumentException.class, () -> chooser.choose(List.of(full), 0));
  }
}
