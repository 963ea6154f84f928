package tributary.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tributary.placement.DiskRoom;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;

/**
 * What a repair sweep plans (S4), from the blobs with too few or too many readable copies and the
 * live nodes. A blob short of copies, with a readable one left and its repair backoff over, gets
 * mirror items to new nodes chosen by {@link Placement} (spread away from its holders), copied from
 * one of its readable copies. A blob with more readable copies than it should have (a node came
 * back after its blobs were repaired) gets recycle items for its oldest extras, never a chosen
 * mirror. The most urgent blobs are planned first (E7: {@link PriorityOrder}), so their items come
 * first in their nodes' plans.
 *
 * @param mirrors mirror items, one per new copy
 * @param extras recycle items, one per extra copy
 */
public record RepairPlan(List<TaskStore.Planned> mirrors, List<TaskStore.Planned> extras) {

  public static RepairPlan of(List<RepairQueries.Imbalance> imbalanced, List<StoreLoad> live, long now,
      Random random, DiskRoom room) {
    Map<String, StoreLoad> byId = new HashMap<>();
    live.forEach(s -> byId.put(s.storeId(), s));
    Placement placement = new Placement(random, room);
    List<TaskStore.Planned> mirrors = new ArrayList<>();
    List<TaskStore.Planned> extras = new ArrayList<>();
    for (RepairQueries.Imbalance b : PriorityOrder.urgentFirst(imbalanced, RepairQueries.Imbalance::priority,
        RepairQueries.Imbalance::recentFailures)) {
      int have = b.readable().size() + b.pendingTargets().size();
      if (have < b.copies() && !b.readable().isEmpty()
          && RepairBackoff.due(b.recentFailures(), b.lastFailureAt(), now)) {
        List<StoreLoad> holders = new ArrayList<>();
        for (String id : concat(b.readable(), b.pendingTargets())) {
          holders.add(byId.getOrDefault(id, StoreLoad.unmeasured(id, id, "")));
        }
        String source = b.readable().get(random.nextInt(b.readable().size()));
        for (StoreLoad target : placement.choose(b.mirrors(), live, holders, b.copies() - have, b.size())) {
          mirrors.add(new TaskStore.Planned(TaskKind.MIRROR, b.blobId(), target.storeId(), source, b.size()));
        }
      } else if (b.readable().size() > b.copies()) {
        // readable copies come newest first: the oldest extras go, but never a chosen mirror
        Set<String> keep = new HashSet<>(b.mirrors());
        int drop = b.readable().size() - b.copies();
        for (int i = b.readable().size() - 1; i >= 0 && drop > 0; i--) {
          if (!keep.contains(b.readable().get(i))) {
            extras.add(new TaskStore.Planned(TaskKind.RECYCLE, b.blobId(), b.readable().get(i), null, 0));
            drop--;
          }
        }
      }
    }
    return new RepairPlan(List.copyOf(mirrors), List.copyOf(extras));
  }

  /** The nodes that get new items, each once, to tell once the plan is committed. */
  public List<String> nodesToTell() {
    return concat(mirrors, extras).stream().map(TaskStore.Planned::runOn).distinct().toList();
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
