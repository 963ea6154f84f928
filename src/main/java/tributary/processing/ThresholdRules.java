package tributary.processing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Threshold rules that emit an alert when a numeric field crosses a bound:
 * {@code {"thresholds": [{"field": "t", "above": 80, "severity": "high"}, {"field": "p", "below": 1}]}}.
 * A field that is missing or not a number triggers nothing.
 */
public final class ThresholdRules implements Processor {
  private record Rule(String id, String field, Double above, Double below, String severity) {}

  private final List<Rule> rules = new ArrayList<>();

  public ThresholdRules(JsonArray config) {
    for (int i = 0; i < config.size(); i++) {
      if (!(config.getValue(i) instanceof JsonObject r)) {
        throw new IllegalArgumentException("thresholds[" + i + "] must be an object");
      }
      String field = r.getString("field");
      Object above = r.getValue("above");
      Object below = r.getValue("below");
      if (field == null || (above == null && below == null)
          || above != null && !(above instanceof Number) || below != null && !(below instanceof Number)) {
        throw new IllegalArgumentException("thresholds[" + i + "] needs a field and a numeric above and/or below");
      }
      Double a = above == null ? null : ((Number) above).doubleValue();
      Double b = below == null ? null : ((Number) below).doubleValue();
      String id = field + (a != null ? ">" + a : "") + (b != null ? "<" + b : "");
      rules.add(new Rule(id, field, a, b, r.getString("severity", "warning")));
    }
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  @Override
  public String name() {
    return "threshold";
  }

  @Override
  public List<JsonObject> derive(Object payload) {
    if (!(payload instanceof JsonObject json)) {
      return List.of();
    }
    List<JsonObject> alerts = new ArrayList<>();
    for (Rule rule : rules) {
      if (!(json.getValue(rule.field()) instanceof Number n)) {
        continue;
      }
      double v = n.doubleValue();
      if (Double.isNaN(v)) {
        continue;
      }
      boolean high = rule.above() != null && v > rule.above();
      boolean low = rule.below() != null && v < rule.below();
      if (high || low) {
        alerts.add(new JsonObject().put("kind", "alert").put("rule", rule.id()).put("field", rule.field())
            .put("value", v).put("threshold", high ? rule.above() : rule.below())
            .put("direction", high ? "above" : "below").put("severity", rule.severity()));
      }
    }
    return alerts;
  }
}
