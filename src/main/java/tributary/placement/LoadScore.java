package tributary.placement;

import java.util.List;

/**
 * The composite load score of S2: a physical part (CPU, memory, disk I/O, network, weighted by
 * q1..q4, each as a fraction of the node's own capacity) and a work part (bytes of pending
 * tasks, as seconds of the node's disk bandwidth over a horizon), mixed by k1 and k2. 0 is idle,
 * 1 is saturated; lower is a better place for new work.
 */
public record LoadScore(double q1, double q2, double q3, double q4, double k1, double k2) {
  /** Pending work that would keep the disk busy this long counts as fully loaded. */
  static final double WORK_HORIZON_SECONDS = 10.0;

  public LoadScore {
    for (double w : new double[] {q1, q2, q3, q4, k1, k2}) {
      if (w < 0 || !Double.isFinite(w)) {
        throw new IllegalArgumentException("load weights must be finite numbers, zero or more");
      }
    }
    if (q1 + q2 + q3 + q4 == 0 || k1 + k2 == 0) {
      throw new IllegalArgumentException("some load weight must be above zero");
    }
  }

  /** Weights from "q1,q2,q3,q4" and "k1,k2". */
  public static LoadScore parse(String physical, String mix) {
    List<Double> q = numbers(physical, 4, "storage-load-weights");
    List<Double> k = numbers(mix, 2, "storage-load-mix");
    return new LoadScore(q.get(0), q.get(1), q.get(2), q.get(3), k.get(0), k.get(1));
  }

  private static List<Double> numbers(String text, int count, String name) {
    String[] parts = text.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException(name + " needs " + count + " comma-separated numbers");
    }
    return java.util.Arrays.stream(parts).map(p -> Double.parseDouble(p.trim())).toList();
  }

  public double physical(StoreLoad s) {
    double weighted = q1 * unit(s.cpu()) + q2 * unit(s.memory())
        + q3 * fraction(s.diskBytesPerSecond(), s.diskCapacityBytesPerSecond())
        + q4 * fraction(s.netBytesPerSecond(), s.netCapacityBytesPerSecond());
    return weighted / (q1 + q2 + q3 + q4);
  }

  public double work(StoreLoad s) {
    return unit(s.pendingTaskBytes() / (Math.max(1, s.diskCapacityBytesPerSecond()) * WORK_HORIZON_SECONDS));
  }

  public double score(StoreLoad s) {
    return (k1 * physical(s) + k2 * work(s)) / (k1 + k2);
  }

  private static double fraction(long used, long capacity) {
    return unit((double) used / Math.max(1, capacity));
  }

  private static double unit(double v) {
    return Double.isNaN(v) ? 1.0 : Math.max(0.0, Math.min(1.0, v));
  }
}
