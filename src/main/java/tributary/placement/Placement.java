package tributary.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Chooses where further copies go (S3, S4): only nodes with room for the blob ({@link DiskRoom}),
 * distinct nodes always, distinct sites and then distinct
 * host processes where there are enough, otherwise at random. One instance serves one planning round and
 * remembers what it assigned, so the copies a round repairs spread over the nodes instead of all
 * landing on the one that happens to come first.
 */
public final class Placement {
  private final Random random;
  private final DiskRoom room;
  private final Map<String, Integer> assigned = new HashMap<>();

  public Placement(Random random, DiskRoom room) {
    this.random = random;
    this.room = room;
  }

  /**
   * Like {@link #choose}, but the nodes a user chose as mirrors come first, as long as they are
   * among the candidates, have room and hold no copy yet (S3).
   */
  public List<StoreLoad> choose(List<String> preferred, List<StoreLoad> candidates, Collection<StoreLoad> holders,
                                int count, long bytes) {
    List<StoreLoad> chosen = new ArrayList<>();
    List<StoreLoad> held = new ArrayList<>(holders);
    for (String id : preferred) {
      for (StoreLoad c : candidates) {
        if (chosen.size() < count && c.storeId().equals(id) && room.fits(c, bytes)
            && held.stream().noneMatch(h -> h.storeId().equals(id))) {
          chosen.add(c);
          held.add(c);
        }
      }
    }
    chosen.addAll(choose(candidates, held, count - chosen.size(), bytes));
    return chosen;
  }

  /**
   * Up to {@code count} nodes from {@code candidates} for new copies of a {@code bytes}-byte blob
   * whose copies are on {@code holders}; fewer when there are not enough distinct nodes with room.
   */
  public List<StoreLoad> choose(List<StoreLoad> candidates, Collection<StoreLoad> holders, int count, long bytes) {
    Set<String> storeIds = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    Set<String> sites = new HashSet<>();
    for (StoreLoad h : holders) {
      storeIds.add(h.storeId());
      hosts.add(h.hostNode());
      sites.add(h.site());
    }
    List<StoreLoad> pool = new ArrayList<>();
    Map<String, Double> tieBreak = new HashMap<>();
    for (StoreLoad c : candidates) {
      if (room.fits(c, bytes) && storeIds.add(c.storeId())) {
        pool.add(c);
        tieBreak.put(c.storeId(), random.nextDouble());
      }
    }
    List<StoreLoad> chosen = new ArrayList<>();
    while (chosen.size() < count && !pool.isEmpty()) {
      StoreLoad next = pool.stream().min(Comparator
          .comparing((StoreLoad c) -> sites.contains(c.site()))
          .thenComparing(c -> hosts.contains(c.hostNode()))
          .thenComparingInt(c -> assigned.getOrDefault(c.storeId(), 0))
          .thenComparingDouble(c -> tieBreak.get(c.storeId()))).orElseThrow();
      pool.remove(next);
      chosen.add(next);
      hosts.add(next.hostNode());
      sites.add(next.site());
      assigned.merge(next.storeId(), 1, Integer::sum);
    }
    return chosen;
  }
}
