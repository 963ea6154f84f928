package tributary.placement;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load score of S2 applied to storage nodes as their heartbeats describe them: the seed's
 * weights and bitrate standard, and {@link ClusterLoad} over the nodes being compared, since every
 * term is relative to the others. Lower takes new work first.
 */
public record LoadScore(LoadWeights weights, PendingWork.Bitrate bitrate) {
  /** The options' defaults: every resource and both parts weighed alike, the medium bitrate. */
  public static final LoadScore DEFAULT =
      new LoadScore(new LoadWeights(0.25, 0.25, 0.25, 0.25, 0.5, 0.5), PendingWork.Bitrate.MEDIUM);

  /** Weights from "q1,q2,q3,q4" and "k1,k2", and a bitrate standard (low, medium, high). */
  public static LoadScore parse(String physical, String mix, String bitrate) {
    PendingWork.Bitrate standard;
    try {
      standard = PendingWork.Bitrate.valueOf(bitrate.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("storage-bitrate must be low, medium or high");
    }
    return new LoadScore(LoadWeights.parse(physical, mix), standard);
  }

  /** Each node's score among {@code nodes}, by store id. */
  public Map<String, ClusterLoad.Score> scores(List<StoreLoad> nodes) {
    List<ClusterLoad.Score> scored = ClusterLoad.score(nodes.stream().map(LoadScore::node).toList(), weights);
    Map<String, ClusterLoad.Score> out = new HashMap<>();
    scored.forEach(s -> out.put(s.id(), s));
    return out;
  }

  /** The nodes, least loaded first (ties by id, so the order is stable). */
  public List<StoreLoad> rank(List<StoreLoad> nodes) {
    Map<String, ClusterLoad.Score> scores = scores(nodes);
    return nodes.stream()
        .sorted(Comparator.<StoreLoad>comparingDouble(s -> scores.get(s.storeId()).load())
            .thenComparing(StoreLoad::storeId))
        .toList();
  }

  private static ClusterLoad.Node node(StoreLoad s) {
    return new ClusterLoad.Node(s.storeId(), s.cpuCapacity(), s.memoryBytes(), s.diskCapacityBytesPerSecond(),
        s.netCapacityBytesPerSecond(), s.cpu(), s.memory(),
        (double) s.diskBytesPerSecond() / Math.max(1, s.diskCapacityBytesPerSecond()),
        (double) s.netBytesPerSecond() / Math.max(1, s.netCapacityBytesPerSecond()), s.pendingWork());
  }
}
