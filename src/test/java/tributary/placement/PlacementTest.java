package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final int SEEDS = 50;
  private static final DiskRoom ROOM = new DiskRoom(0);

  private static StoreLoad node(String id, String host, String site) {
    return new StoreLoad(id, host, site, "http://" + id, 0, 0, 0, 0, 1, 1, 0, 0);
  }

  private static List<String> ids(List<StoreLoad> nodes) {
    return nodes.stream().map(StoreLoad::storeId).toList();
  }

  private static void assertDistinct(List<StoreLoad> chosen) {
    assertEquals(chosen.size(), Set.copyOf(ids(chosen)).size(), "duplicates in " + ids(chosen));
  }

  @Test
  void aCandidateOnAnotherSiteIsPreferredToOneOnTheHoldersSite() {
    StoreLoad holder = node("a1", "hostA1", "A");
    StoreLoad sameSite = node("a2", "hostA2", "A");
    StoreLoad otherSite = node("b1", "hostB1", "B");
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(List.of(holder, sameSite, otherSite),
          List.of(holder), 1, 0);
      assertEquals(List.of("b1"), ids(chosen), "seed " + seed);
    }
  }

  @Test
  void anotherHostIsPreferredWhenAllNodesShareOneSite() {
    StoreLoad x1 = node("x1", "hostX", "A");
    StoreLoad x2 = node("x2", "hostX", "A");
    StoreLoad x3 = node("x3", "hostX", "A");
    StoreLoad y1 = node("y1", "hostY", "A");
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(List.of(x1, x2, x3, y1), List.of(x1), 1, 0);
      assertEquals(List.of("y1"), ids(chosen), "seed " + seed);
    }
  }

  @Test
  void newCopiesOfANewBlobGoToDistinctHostsWhereThereAreEnough() {
    List<StoreLoad> candidates = List.of(node("x1", "hostX", "A"), node("x2", "hostX", "A"),
        node("x3", "hostX", "A"), node("y1", "hostY", "A"));
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(candidates, List.of(), 2, 0);
      assertEquals(2, chosen.size());
      assertTrue(ids(chosen).contains("y1"), "seed " + seed + ": " + ids(chosen));
      assertFalse(chosen.get(0).hostNode().equals(chosen.get(1).hostNode()), "seed " + seed);
    }
  }

  @Test
  void copiesGoToDistinctNodesEvenOnOneHost() {
    List<StoreLoad> candidates = List.of(node("x1", "hostX", "A"), node("x2", "hostX", "A"),
        node("x3", "hostX", "A"));
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(candidates, List.of(), 3, 0);
      assertEquals(Set.of("x1", "x2", "x3"), Set.copyOf(ids(chosen)), "seed " + seed);
      assertDistinct(chosen);
    }
  }

  @Test
  void askingForMoreThanAvailableReturnsFewerAndNeverDuplicatesOrAHolder() {
    StoreLoad a = node("a", "ha", "A");
    StoreLoad b = node("b", "hb", "B");
    StoreLoad c = node("c", "hc", "C");
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(List.of(a, b, b, c, c), List.of(a), 5, 0);
      assertEquals(Set.of("b", "c"), Set.copyOf(ids(chosen)), "seed " + seed);
      assertDistinct(chosen);
    }
  }

  @Test
  void aHolderIsNeverChosen() {
    List<StoreLoad> candidates = List.of(node("a", "ha", "A"), node("b", "hb", "B"), node("c", "hc", "C"));
    for (int seed = 0; seed < SEEDS; seed++) {
      Placement placement = new Placement(new Random(seed), ROOM);
      assertEquals(List.of(), placement.choose(candidates, candidates, 2, 0));
      assertEquals(List.of(), placement.choose(List.of("a"), candidates, candidates, 2, 0));
    }
  }

  @Test
  void preferredMirrorsComeFirstWhenEligible() {
    StoreLoad holder = node("h", "hh", "A");
    List<StoreLoad> candidates = List.of(holder, node("a", "ha", "A"), node("b", "hb", "B"),
        node("c", "hc", "C"), node("d", "hd", "D"));
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(List.of("a", "c"), candidates,
          List.of(holder), 3, 0);
      assertEquals(3, chosen.size());
      assertEquals(List.of("a", "c"), ids(chosen).subList(0, 2), "seed " + seed);
      assertTrue(Set.of("b", "d").contains(chosen.get(2).storeId()));
      assertDistinct(chosen);
    }
  }

  @Test
  void preferredMirrorsThatHoldACopyOrAreNotCandidatesAreSkipped() {
    StoreLoad holder = node("h", "hh", "A");
    List<StoreLoad> candidates = List.of(holder, node("b", "hb", "B"), node("c", "hc", "C"));
    for (int seed = 0; seed < SEEDS; seed++) {
      List<StoreLoad> chosen = new Placement(new Random(seed), ROOM).choose(List.of("h", "gone", "c", "c"), candidates,
          List.of(holder), 2, 0);
      assertEquals("c", chosen.get(0).storeId(), "seed " + seed);
      assertEquals(List.of("c", "b"), ids(chosen), "seed " + seed);
    }
  }

  @Test
  void noMoreThanTheCountIsTakenFromPreferredMirrors() {
    List<StoreLoad> candidates = List.of(node("a", "ha", "A"), node("b", "hb", "B"), node("c", "hc", "C"));
    List<StoreLoad> chosen = new Placement(new Random(1), ROOM).choose(List.of("c", "b"), candidates, List.of(), 1, 0);
    assertEquals(List.of("c"), ids(chosen));
  }

  @Test
  void aRepairRoundSpreadsItsCopiesEvenlyOverTheNodes() {
    List<StoreLoad> candidates = List.of(node("n1", "h1", "A"), node("n2", "h2", "B"), node("n3", "h3", "C"),
        node("n4", "h4", "D"));
    StoreLoad holder = node("old", "h0", "Z");
    for (int seed = 0; seed < SEEDS; seed++) {
      Placement round = new Placement(new Random(seed), ROOM);
      Map<String, Integer> counts = new HashMap<>();
      for (int blob = 0; blob < 60; blob++) {
        for (StoreLoad target : round.choose(List.of(), candidates, List.of(holder), 1, 0)) {
          counts.merge(target.storeId(), 1, Integer::sum);
        }
      }
      assertEquals(Map.of("n1", 15, "n2", 15, "n3", 15, "n4", 15), counts, "seed " + seed);
    }
  }

  @Test
  void theSameSeedMakesTheSameChoices() {
    List<StoreLoad> candidates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      candidates.add(node("n" + i, "h" + (i % 3), "site" + (i % 2)));
    }
    List<StoreLoad> holders = List.of(candidates.get(0));
    Placement first = new Placement(new Random(42), ROOM);
    Placement second = new Placement(new Random(42), ROOM);
    Set<List<String>> distinctAnswers = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      List<String> a = ids(first.choose(candidates, holders, 2, 0));
      assertEquals(a, ids(second.choose(candidates, holders, 2, 0)), "choice " + i);
      distinctAnswers.add(a);
    }
    assertTrue(distinctAnswers.size() > 1, "ties are broken at random, not always the same way");
  }

  /** Issue 10: placement ignored the free space nodes report. */
  @Test
  void aNodeWithoutRoomForTheBlobGetsNoCopyEvenAsAChosenMirror() {
    long mib = 1 << 20;
    DiskRoom room = new DiskRoom(100 * mib);
    StoreLoad holder = new StoreLoad("h", "host-h", "A", "http://h", 0, 0, 0, 0, 1, 1, 0, 1L << 40);
    StoreLoad full = new StoreLoad("full", "host-f", "B", "http://full", 0, 0, 0, 0, 1, 1, 0, 100 * mib);
    StoreLoad roomy = new StoreLoad("roomy", "host-r", "A", "http://roomy", 0, 0, 0, 0, 1, 1, 0, 1L << 40);
    for (int seed = 0; seed < SEEDS; seed++) {
      Placement placement = new Placement(new Random(seed), room);
      assertEquals(List.of("roomy"), ids(placement.choose(List.of(holder, full, roomy), List.of(holder), 2, mib)),
          "the full node on the other site is skipped, seed " + seed);
      assertEquals(List.of("roomy"), ids(placement.choose(List.of("full"), List.of(holder, full, roomy),
          List.of(holder), 1, mib)), "a chosen mirror without room is skipped, seed " + seed);
      assertEquals(List.of("full"), ids(placement.choose(List.of(full), List.of(), 1, 0)),
          "room for the margin alone is enough for an empty blob");
    }
  }
}
