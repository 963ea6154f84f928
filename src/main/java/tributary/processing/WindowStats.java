package tributary.processing;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * Count, min, max, mean and p95 of the numeric values of one window. Values that are NaN, infinite
 * or not numbers are left out and counted as ignored; p95 is the nearest-rank percentile (the
 * smallest value with at least 95% of values at or below it), so it is always an observed value.
 */
public record WindowStats(int count, int ignored, Double min, Double max, Double mean, Double p95) {

  public static WindowStats of(Object[] values) {
    double[] numbers = new double[values.length];
    int n = 0;
    for (Object v : values) {
      if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
        numbers[n++] = num.doubleValue();
      }
    }
    int ignored = values.length - n;
    if (n == 0) {
      return new WindowStats(0, ignored, null, null, null, null);
    }
    double[] sorted = Arrays.copyOf(numbers, n);
    Arrays.sort(sorted);
    double sum = 0;
    for (double d : sorted) {
      sum += d;
    }
    int rank = (int) Math.ceil(0.95 * n);
    return new WindowStats(n, ignored, sorted[0], sorted[n - 1], sum / n, sorted[rank - 1]);
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("ignored", ignored).put("min", min).put("max", max)
        .put("mean", mean).put("p95", p95);
  }
}
