package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstCopyChooserTest {
  /** Scores on CPU alone, so a node's score is its CPU figure. */
  private static final LoadScore CPU_ONLY = new LoadScore(1, 0, 0, 0, 1, 0);

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
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY);
    Map<String, Integer> counts = new HashMap<>();
    StoreLoad previous = null;
    for (int i = 0; i < 100; i++) {
      StoreLoad chosen = chooser.choose(nodes);
      counts.merge(chosen.storeId(), 1, Integer::sum);
      assertNotEquals(previous, chosen, "the two least-loaded nodes take turns");
      previous = chosen;
    }
    assertEquals(Map.of("best", 50, "second", 50), counts);
  }

  @Test
  void aThirdNodeIsNeverChosenWhileTwoAreLessLoaded() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY);
    for (int i = 0; i < 100; i++) {
      String id = chooser.choose(List.of(middle, busy, second, best)).storeId();
      assertEquals(true, id.equals("best") || id.equals("second"), id);
    }
  }

  @Test
  void equalScoresAreBrokenByStoreId() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY);
    List<StoreLoad> tied = List.of(node("c", 0.3), node("a", 0.3), node("b", 0.3));
    assertEquals("a", chooser.choose(tied).storeId());
    assertEquals("b", chooser.choose(tied).storeId());
    assertEquals("a", chooser.choose(tied).storeId());
  }

  @Test
  void aSingleCandidateIsAlwaysChosen() {
    FirstCopyChooser chooser = new FirstCopyChooser(CPU_ONLY);
    for (int i = 0; i < 10; i++) {
      assertEquals(busy, chooser.choose(List.of(busy)));
    }
  }

  @Test
  void noCandidateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FirstCopyChooser(CPU_ONLY).choose(List.of()));
  }

  @Test
  void rankOrdersTheLeastLoadedFirst() {
    assertEquals(List.of(best, second, middle, busy), new FirstCopyChooser(CPU_ONLY).rank(nodes));
  }
}
