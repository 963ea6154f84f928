package tributary.placement;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the node for an upload's first copy (S2): of the two least-loaded nodes with room for it
 * ({@link DiskRoom}), each in turn.
 * Scores arrive with heartbeats, so between two of them every upload would see the same "least
 * loaded" node; alternating between the best two halves that pile-up without a central counter.
 */
public final class FirstCopyChooser {
  private final LoadScore score;
  private final DiskRoom room;
  private final AtomicLong turn = new AtomicLong();
  /**
   * The best two of the last candidate list ranked whole. Uploads pass the live-node snapshot,
   * one list that is replaced twice a second, so ranking it at every upload redid the same work
   * thousands of times a second (about 3 % of the HTTP loops under 1 KB writes).
   */
  private volatile Ranked last;

  /** The best two of {@code candidates}, the very list (its nodes and their scores do not change). */
  private record Ranked(List<StoreLoad> candidates, List<StoreLoad> best) {}

  public FirstCopyChooser(LoadScore score, DiskRoom room) {
    this.score = score;
    this.room = room;
  }

  /** The node for the first copy of {@code bytes} among {@code candidates}, of which one at least has room. */
  public StoreLoad choose(List<StoreLoad> candidates, long bytes) {
    List<StoreLoad> roomy = room.withRoomFor(candidates, bytes);
    if (roomy.isEmpty()) {
      throw new IllegalArgumentException("no storage node with room for " + bytes + " bytes to choose from");
    }
    List<StoreLoad> best = roomy.size() == candidates.size() ? bestOf(candidates) : bestTwo(roomy);
    return best.get((int) (turn.getAndIncrement() % best.size()));
  }

  private List<StoreLoad> bestOf(List<StoreLoad> candidates) {
    Ranked ranked = last;
    if (ranked == null || ranked.candidates() != candidates) {
      ranked = new Ranked(candidates, bestTwo(candidates));
      last = ranked;
    }
    return ranked.best();
  }

  private List<StoreLoad> bestTwo(List<StoreLoad> nodes) {
    return score.rank(nodes).stream().limit(2).toList();
  }

  /** The candidates ordered best first, for reads that try copies in turn. */
  public List<StoreLoad> rank(List<StoreLoad> candidates) {
    return score.rank(candidates);
  }
}
