package tributary.processing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation and normalisation of JSON object payloads by field rules:
 * {@code {"fields": {"t": {"type": "number", "required": true, "min": -50, "max": 150},
 * "unit": {"type": "string", "enum": ["C", "F"], "default": "C"}}, "additionalFields": "allow"}}.
 * Normalising means: defaults filled in, strings trimmed, numbers given as strings parsed, and
 * unknown fields dropped when additionalFields is "drop" (refused when "reject").
 */
public final class FieldRules implements Processor {
  enum Type { NUMBER, INTEGER, STRING, BOOLEAN, OBJECT, ARRAY, ANY }

  enum Additional { ALLOW, DROP, REJECT }

  private record Rule(Type type, boolean required, Double min, Double max, List<Object> allowed, Object fallback) {}

  private final Map<String, Rule> rules = new LinkedHashMap<>();
  private final Additional additional;

  /** Reads the rules from a processor configuration; throws IllegalArgumentException naming what is wrong. */
  public FieldRules(JsonObject config) {
    JsonObject fields = config.getJsonObject("fields", new JsonObject());
    for (String name : fields.fieldNames()) {
      Object spec = fields.getValue(name);
      if (!(spec instanceof JsonObject f)) {
        throw new IllegalArgumentException("fields." + name + " must be an object");
      }
      Type type = parseEnum(Type.class, f.getString("type", "any"), "fields." + name + ".type");
      JsonArray allowed = f.getJsonArray("enum");
      rules.put(name, new Rule(type, f.getBoolean("required", false), number(f, "min", name), number(f, "max", name),
          allowed == null ? null : allowed.getList(), f.getValue("default")));
    }
    additional = parseEnum(Additional.class, config.getString("additionalFields", "allow"), "additionalFields");
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String where) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(where + ": unknown value '" + value + "'");
  }

  private static Double number(JsonObject f, String key, String field) {
    Object v = f.getValue(key);
    if (v != null && !(v instanceof Number)) {
      throw new IllegalArgumentException("fields." + field + "." + key + " must be a number");
    }
    return v == null ? null : ((Number) v).doubleValue();
  }

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public Object prepare(Object payload) {
    if (!(payload instanceof JsonObject in)) {
      throw new RecordRejected("payload must be a JSON object");
    }
    JsonObject out = new JsonObject();
    for (String field : in.fieldNames()) {
      if (!rules.containsKey(field)) {
        if (additional == Additional.REJECT) {
          throw new RecordRejected("field '" + field + "' is not allowed");
        }
        if (additional == Additional.ALLOW) {
          out.put(field, in.getValue(field));
        }
      }
    }
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      String field = e.getKey();
      Rule rule = e.getValue();
      Object value = in.getValue(field);
      if (value == null) {
        if (rule.fallback() != null) {
          out.put(field, rule.fallback());
        } else if (rule.required()) {
          throw new RecordRejected("field '" + field + "' is required");
        }
        continue;
      }
      out.put(field, check(field, rule, value));
    }
    return out;
  }

  private static Object check(String field, Rule rule, Object value) {
    Object v = value instanceof String s ? s.strip() : value;
    switch (rule.type()) {
      case NUMBER, INTEGER -> {
        Double d = v instanceof Number n ? Double.valueOf(n.doubleValue()) : parseNumber(v);
        if (d == null || d.isNaN() || d.isInfinite()) {
          throw new RecordRejected("field '" + field + "' must be a number");
        }
        if (rule.type() == Type.INTEGER && d != Math.rint(d)) {
          throw new RecordRejected("field '" + field + "' must be an integer");
        }
        if (rule.min() != null && d < rule.min() || rule.max() != null && d > rule.max()) {
          throw new RecordRejected("field '" + field + "' must be within [" + rule.min() + ", " + rule.max() + "]");
        }
        v = rule.type() == Type.INTEGER ? (Object) d.longValue() : v instanceof Number ? v : (Object) d;
      }
      case STRING -> {
        if (!(v instanceof String)) {
          throw new RecordRejected("field '" + field + "' must be a string");
        }
      }
      case BOOLEAN -> {
        if (!(v instanceof Boolean)) {
          throw new RecordRejected("field '" + field + "' must be true or false");
        }
      }
      case OBJECT -> {
        if (!(v instanceof JsonObject)) {
          throw new RecordRejected("field '" + field + "' must be an object");
        }
      }
      case ARRAY -> {
        if (!(v instanceof JsonArray)) {
          throw new RecordRejected("field '" + field + "' must be an array");
        }
      }
      case ANY -> { }
    }
    if (rule.allowed() != null && !rule.allowed().contains(v)) {
      throw new RecordRejected("field '" + field + "' must be one of " + rule.allowed());
    }
    return v;
  }

  private static Double parseNumber(Object v) {
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
