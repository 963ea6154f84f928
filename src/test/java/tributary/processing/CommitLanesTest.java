package tributary.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 16: one statement in flight per channel, what waits goes together, other channels run beside it. */
class CommitLanesTest {
  /** An item: a name, the channels it writes and its record count. */
  private record Item(String name, Set<String> channels, int size) {
    static Item of(String name, int size, String... channels) {
      return new Item(name, new LinkedHashSet<>(List.of(channels)), size);
    }
  }

  private static CommitLanes<Item> lanes(int maxGroupSize, int maxGroups) {
    return new CommitLanes<>(Item::channels, Item::size, maxGroupSize, maxGroups);
  }

  private static List<List<String>> names(List<CommitLanes.Group<Item>> groups) {
    return groups.stream().map(g -> g.items().stream().map(Item::name).toList()).toList();
  }

  @Test
  void eachChannelGetsItsOwnStatementAndItsItemsGoTogether() {
    CommitLanes<Item> lanes = lanes(100, 8);
    lanes.add(Item.of("a1", 1, "a"));
    lanes.add(Item.of("b1", 1, "b"));
    lanes.add(Item.of("a2", 1, "a"));
    assertEquals(List.of(List.of("a1", "a2"), List.of("b1")), names(lanes.take()));
    assertEquals(0, lanes.waiting());
  }

  @Test
  void whatArrivesForABusyChannelWaitsAndGoesWithTheNextStatement() {
    CommitLanes<Item> lanes = lanes(100, 8);
    lanes.add(Item.of("a1", 1, "a"));
    List<CommitLanes.Group<Item>> first = lanes.take();
    lanes.add(Item.of("a2", 1, "a"));
    lanes.add(Item.of("b1", 1, "b"));
    lanes.add(Item.of("a3", 1, "a"));
    assertEquals(List.of(List.of("b1")), names(lanes.take()), "b runs beside a's statement");
    assertEquals(2, lanes.waiting());
    lanes.done(first.get(0));
    assertEquals(List.of(List.of("a2", "a3")), names(lanes.take()));
  }

  @Test
  void anItemWritingTwoChannelsWaitsForBothAndHoldsBackLaterItemsOfEither() {
    CommitLanes<Item> lanes = lanes(100, 8);
    lanes.add(Item.of("a1", 1, "a"));
    List<CommitLanes.Group<Item>> busyA = lanes.take();
    lanes.add(Item.of("ab", 1, "a", "feed"));
    lanes.add(Item.of("feed-only", 1, "feed"));
    lanes.add(Item.of("c1", 1, "c"));
    assertEquals(List.of(List.of("c1")), names(lanes.take()),
        "the feed's later item does not pass the earlier one that waits for channel a");
    lanes.done(busyA.get(0));
    assertEquals(List.of(List.of("ab", "feed-only")), names(lanes.take()));
  }

  @Test
  void itemsSharingAChannelMergeTheirGroups() {
    CommitLanes<Item> lanes = lanes(100, 8);
    lanes.add(Item.of("a", 1, "a"));
    lanes.add(Item.of("b", 1, "b"));
    lanes.add(Item.of("ab", 1, "a", "b"));
    List<CommitLanes.Group<Item>> groups = lanes.take();
    assertEquals(1, groups.size());
    assertEquals(Set.of("a", "b"), groups.get(0).channels());
    assertEquals(Set.of("a", "b", "ab"), Set.copyOf(names(groups).get(0)));
  }

  @Test
  void aFullGroupLeavesTheRestOfItsChannelForTheNextStatement() {
    CommitLanes<Item> lanes = lanes(3, 8);
    lanes.add(Item.of("a1", 2, "a"));
    lanes.add(Item.of("a2", 2, "a"));
    lanes.add(Item.of("big", 10, "b"));
    List<CommitLanes.Group<Item>> groups = lanes.take();
    assertEquals(List.of(List.of("a1"), List.of("big")), names(groups), "an item larger than the bound goes alone");
    assertEquals(10, groups.get(1).size());
    lanes.done(groups.get(0));
    assertEquals(List.of(List.of("a2")), names(lanes.take()));
  }

  @Test
  void atTheBoundOnStatementsFreeChannelsJoinTheSmallestGroupForming() {
    CommitLanes<Item> lanes = lanes(100, 2);
    lanes.add(Item.of("a", 3, "a"));
    lanes.add(Item.of("b", 1, "b"));
    lanes.add(Item.of("c", 1, "c"));
    lanes.add(Item.of("a2", 1, "a"));
    List<CommitLanes.Group<Item>> groups = lanes.take();
    assertEquals(List.of(List.of("a", "a2"), List.of("b", "c")), names(groups));
    lanes.add(Item.of("d", 1, "d"));
    assertTrue(lanes.take().isEmpty(), "no third statement while two are in flight");
    lanes.done(groups.get(1));
    assertEquals(List.of(List.of("d")), names(lanes.take()));
  }

  @Test
  void boundsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> lanes(0, 1));
    assertThrows(IllegalArgumentException.class, () -> lanes(1, 0));
  }
}
