package tributary.placement;

import java.util.Arrays;
import java.util.List;

/**
 * The weights of the seed's load score (S2): q1..q4 for CPU, memory, disk I/O and network, each
 * in (0, 1) and summing to 1; k1 and k2 for the physical and the work part, each in [0, 1] and
 * summing to 1. Other weights are refused when the node starts.
 */
public record LoadWeights(double q1, double q2, double q3, double q4, double k1, double k2) {
  private static final double TOLERANCE = 1e-9;

  public LoadWeights {
    for (double q : new double[] {q1, q2, q3, q4}) {
      if (!(q > 0 && q < 1)) {
        throw new IllegalArgumentException("each of q1..q4 must lie strictly between 0 and 1, got " + q);
      }
    }
    if (Math.abs(q1 + q2 + q3 + q4 - 1) > TOLERANCE) {
      throw new IllegalArgumentException("q1..q4 must sum to 1, they sum to " + (q1 + q2 + q3 + q4));
    }
    for (double k : new double[] {k1, k2}) {
      if (!(k >= 0 && k <= 1)) {
        throw new IllegalArgumentException("k1 and k2 must lie between 0 and 1, got " + k);
      }
    }
    if (Math.abs(k1 + k2 - 1) > TOLERANCE) {
      throw new IllegalArgumentException("k1 and k2 must sum to 1, they sum to " + (k1 + k2));
    }
  }

  /** Weights from "q1,q2,q3,q4" and "k1,k2". */
  public static LoadWeights parse(String physical, String mix) {
    List<Double> q = numbers(physical, 4, "storage-load-weights");
    List<Double> k = numbers(mix, 2, "storage-load-mix");
    return new LoadWeights(q.get(0), q.get(1), q.get(2), q.get(3), k.get(0), k.get(1));
  }

  private static List<Double> numbers(String text, int count, String name) {
    String[] parts = text.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException(name + " needs " + count + " comma-separated numbers");
    }
    try {
      return Arrays.stream(parts).map(p -> Double.parseDouble(p.trim())).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs numbers: " + text);
    }
  }
}
