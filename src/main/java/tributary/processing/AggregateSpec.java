package tributary.processing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Windowed aggregates of a data type: {@code {"aggregate": {"fields": ["t"], "windowMs": 60000}}}.
 * Windows are tumbling and aligned to the epoch, by commit time.
 */
public record AggregateSpec(List<String> fields, long windowMs) {
  public static final long MIN_WINDOW_MS = 100;

  public AggregateSpec {
    fields = List.copyOf(fields);
  }

  public static AggregateSpec fromJson(JsonObject json) {
    JsonArray fields = json.getJsonArray("fields");
    Object window = json.getValue("windowMs");
    if (fields == null || fields.isEmpty() || !fields.stream().allMatch(f -> f instanceof String)) {
      throw new IllegalArgumentException("aggregate.fields must be a non-empty list of field names");
    }
    if (!(window instanceof Number n) || n.longValue() < MIN_WINDOW_MS) {
      throw new IllegalArgumentException("aggregate.windowMs must be a number >= " + MIN_WINDOW_MS);
    }
    return new AggregateSpec(fields.stream().map(String.class::cast).toList(), ((Number) window).longValue());
  }
}
