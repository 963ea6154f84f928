package tributary.processing;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;
import tributary.processing.AggregateWindowStore.Window;

/** The result of a closed aggregate window (E5): stats per configured field, naming every input. */
public final class WindowResults {
  public static final String KIND = "aggregate";

  private WindowResults() {}

  public static List<Envelope> of(Window window, AggregateSpec spec, List<StoredRecord> inputs, long now) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    JsonObject fields = new JsonObject();
    for (String field : spec.fields()) {
      Object[] values = new Object[inputs.size()];
      for (int i = 0; i < inputs.size(); i++) {
        values[i] = fieldValue(inputs.get(i).payload(), field);
      }
      fields.put(field, WindowStats.of(values).toJson());
    }
    JsonArray ids = new JsonArray();
    Set<String> edges = new LinkedHashSet<>();
    int priority = Envelope.LOWEST_PRIORITY;
    for (StoredRecord r : inputs) {
      ids.add(r.id());
      edges.add(r.edge());
      priority = Math.min(priority, r.priority());
    }
    JsonObject body = new JsonObject().put("kind", KIND)
        .put("window", new JsonObject().put("start", window.start()).put("end", window.start() + window.lengthMs()))
        .put("fields", fields)
        .put("source", new JsonObject().put("channel", window.channel()).put("dataType", window.dataType()))
        .put("inputs", ids);
    String key = "aggregate|" + window.channel() + "|" + window.dataType() + "|" + window.start();
    return CorePlan.resultEnvelopes(key, KIND, priority, window.channel(), edges, body, now);
  }

  private static Object fieldValue(String payload, String field) {
    if (payload == null) {
      return null;
    }
    Object value = Json.decodeValue(payload);
    return value instanceof JsonObject json ? json.getValue(field) : null;
  }
}
