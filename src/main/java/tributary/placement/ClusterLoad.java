package tributary.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's composite load score (S2), computed over the whole set of storage nodes at once,
 * since every term is relative to the cluster: capacities as ratios to the cluster's best, work as
 * a share of the cluster's pending work, capacity as a share of the cluster's performance.
 *
 * <pre>
 * c_pi = c_i / max c,  m_pi, i_pi, n_pi likewise            (CPU GHz x cores, memory, I/O, network)
 * x_pi = (q1 c_pi + q2 m_pi + q3 i_pi + q4 n_pi) / 4         performance index
 * t_i  = (q1 c_pi cu_i + q2 m_pi mu_i + q3 i_pi iu_i + q4 n_pi nu_i) / 4   physical load (u: utilisations)
 * w_i  = (x_pi - t_i) / sum_j (x_pj - t_j)                   share of the cluster's remaining capacity
 * x_i  = x_pi / sum x_p                                      share of the cluster's performance
 * p_i  = f_i / sum f,   b_i = p_i / x_i                      work share over capacity share
 * l_i  = (t_i / sum t) / x_i                                 physical load share over capacity share
 * load = k1 l_i + k2 b_i                                     lower is a better place for new work
 * </pre>
 * The seed names l_i without defining it; it is taken here in the same form as b_i, so that both
 * parts read alike: 1 is a node carrying exactly its fair share, 0 an idle one. A zero sum (no
 * pending work anywhere, everything idle) makes that part 0 for every node.
 */
public final class ClusterLoad {
  private ClusterLoad() {}

  /** One storage node as the score sees it: capacities, utilisations in [0, 1], pending work f_i. */
  public record Node(String id, double cpuCapacity, double memoryCapacity, double ioCapacity, double netCapacity,
      double cpuUse, double memoryUse, double ioUse, double netUse, double pendingWork) {}

  /** Every term of one node's score, so operators can see why a node was (not) chosen. */
  public record Score(String id, double performance, double physical, double weight, double capacityShare,
      double physicalLoad, double workLoad, double load) {}

  /** The score of each node, in the order given. */
  public static List<Score> score(List<Node> nodes, LoadWeights w) {
    double maxC = max(nodes, Node::cpuCapacity);
    double maxM = max(nodes, Node::memoryCapacity);
    double maxI = max(nodes, Node::ioCapacity);
    double maxN = max(nodes, Node::netCapacity);
    int n = nodes.size();
    double[] x = new double[n];
    double[] t = new double[n];
    double sumX = 0;
    double sumT = 0;
    double sumRemaining = 0;
    double sumF = 0;
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      double c = ratio(node.cpuCapacity(), maxC);
      double m = ratio(node.memoryCapacity(), maxM);
      double io = ratio(node.ioCapacity(), maxI);
      double net = ratio(node.netCapacity(), maxN);
      x[i] = (w.q1() * c + w.q2() * m + w.q3() * io + w.q4() * net) / 4;
      t[i] = (w.q1() * c * unit(node.cpuUse()) + w.q2() * m * unit(node.memoryUse())
          + w.q3() * io * unit(node.ioUse()) + w.q4() * net * unit(node.netUse())) / 4;
      sumX += x[i];
      sumT += t[i];
      sumRemaining += x[i] - t[i];
      sumF += Math.max(0, node.pendingWork());
    }
    List<Score> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      double share = ratio(x[i], sumX);
      double work = sumF > 0 && share > 0 ? (Math.max(0, node.pendingWork()) / sumF) / share : 0;
      double physical = sumT > 0 && share > 0 ? (t[i] / sumT) / share : 0;
      out.add(new Score(node.id(), x[i], t[i], ratio(x[i] - t[i], sumRemaining), share, physical, work,
          w.k1() * physical + w.k2() * work));
    }
    return out;
  }

  private static double max(List<Node> nodes, java.util.function.ToDoubleFunction<Node> capacity) {
    return nodes.stream().mapToDouble(capacity).filter(Double::isFinite).max().orElse(0);
  }

  private static double ratio(double part, double whole) {
    return whole > 0 && Double.isFinite(part) ? Math.max(0, part) / whole : 0;
  }

  private static double unit(double v) {
    return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 1;
  }
}
