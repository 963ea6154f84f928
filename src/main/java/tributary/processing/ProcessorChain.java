package tributary.processing;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The processing configured for one data type: validation, threshold rules and windowed
 * aggregates, built from one JSON configuration that is checked when it is set.
 */
public final class ProcessorChain {
  public static final ProcessorChain NONE = new ProcessorChain(List.of(), null);
  private static final Set<String> KEYS = Set.of("fields", "additionalFields", "thresholds", "aggregate");

  private final List<Processor> steps;
  private final AggregateSpec aggregate;

  private ProcessorChain(List<Processor> steps, AggregateSpec aggregate) {
    this.steps = List.copyOf(steps);
    this.aggregate = aggregate;
  }

  /** Builds a chain; throws IllegalArgumentException naming the first thing wrong with the config. */
  public static ProcessorChain fromConfig(JsonObject config) {
    for (String key : config.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (allowed: " + KEYS + ")");
      }
    }
    List<Processor> steps = new ArrayList<>();
    if (config.containsKey("fields") || config.containsKey("additionalFields")) {
      if (config.containsKey("fields") && !(config.getValue("fields") instanceof JsonObject)) {
        throw new IllegalArgumentException("fields must be an object of field rules");
      }
      steps.add(new FieldRules(config));
    }
    if (config.containsKey("thresholds")) {
      if (!(config.getValue("thresholds") instanceof JsonArray rules)) {
        throw new IllegalArgumentException("thresholds must be a list");
      }
      steps.add(new ThresholdRules(rules));
    }
    AggregateSpec aggregate = null;
    if (config.containsKey("aggregate")) {
      if (!(config.getValue("aggregate") instanceof JsonObject spec)) {
        throw new IllegalArgumentException("aggregate must be an object");
      }
      aggregate = AggregateSpec.fromJson(spec);
    }
    return new ProcessorChain(steps, aggregate);
  }

  /** A derived result body and the step that made it. */
  public record Derived(String processor, JsonObject body) {}

  /** An input after processing: its (normalised) payload text and the results derived from it. */
  public record Prepared(String payload, List<Derived> results) {}

  /** Runs the steps on a payload; throws {@link RecordRejected} when a step refuses it. */
  public Prepared apply(String payloadJson) {
    if (steps.isEmpty() || payloadJson == null) {
      return new Prepared(payloadJson, List.of());
    }
    Object payload = Json.decodeValue(payloadJson);
    List<Derived> results = new ArrayList<>();
    for (Processor step : steps) {
      payload = step.prepare(payload);
      for (JsonObject body : step.derive(payload)) {
        results.add(new Derived(step.name(), body));
      }
    }
    return new Prepared(Json.encode(payload), results);
  }

  /** The aggregate windows of this type, or null. */
  public AggregateSpec aggregate() {
    return aggregate;
  }
}
