package tributary.ingest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tributary.bus.Envelope;
import tributary.fault.Refusal;

/**
 * Reads an ingest body (E2): one JSON object, or NDJSON with one object per line. Each object is
 * {@code {"payload": any JSON, "type"?: name, "priority"?: 0-9, "id"?: uuid, "destination"?: name,
 * "blobRef"?: ref}}; exactly one of payload and blobRef. The first bad line fails the whole body,
 * named by its line number, so a batch is never half-taken.
 */
public final class RecordParser {
  public static final String DEFAULT_TYPE = "json";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Set<String> FIELDS = Set.of("payload", "type", "priority", "id", "destination", "blobRef");

  private RecordParser() {}

  /** Deepest nesting of arrays and objects a payload may have. */
  public static final int MAX_DEPTH = 64;
  /** Longest number a payload may hold, in characters: more digits than any consumer can use. */
  public static final int MAX_NUMBER_CHARS = 100;

  /** One parsed record, from body line {@code line} (1 for a single JSON body); null fields were not given. */
  public record Input(int line, String id, String type, Integer priority, String destination, String payload,
      String blobRef) {
    /** Whether two records carry the same content (everything but where they stand in the body). */
    boolean sameContent(Input other) {
      return Objects.equals(type, other.type) && Objects.equals(priority, other.priority)
          && Objects.equals(destination, other.destination)
          && Objects.equals(payload, other.payload) && Objects.equals(blobRef, other.blobRef);
    }
  }

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public static List<Input> parse(String body, boolean ndjson, int maxPayloadBytes) {
    List<Input> out = new ArrayList<>();
    if (!ndjson) {
      out.add(parseOne(body, 1, "body", maxPayloadBytes));
      return out;
    }
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty()) {
        out.add(parseOne(line, i + 1, "line " + (i + 1), maxPayloadBytes));
      }
    }
    if (out.isEmpty()) {
      throw Refusal.badRequest("the body holds no record");
    }
    refuseConflictingIds(out);
    return out;
  }

  /**
   * One id names one record: lines that repeat an id with the same content are one record sent
   * twice (the receipt calls the later ones duplicates); with other content the body is refused.
   */
  private static void refuseConflictingIds(List<Input> inputs) {
    Map<String, Input> byId = new HashMap<>();
    for (Input in : inputs) {
      if (in.id() == null) {
        continue;
      }
      Input first = byId.putIfAbsent(in.id(), in);
      if (first != null && !first.sameContent(in)) {
        throw Refusal.badRequest("lines " + first.line() + " and " + in.line() + " give id " + in.id()
            + " to different records; an id names one record");
      }
    }
  }

  private static Input parseOne(String text, int line, String where, int maxPayloadBytes) {
    JsonObject json;
    try {
      Object value = Json.decodeValue(text);
      if (!(value instanceof JsonObject object)) {
        throw Refusal.badRequest(where + ": a record must be a JSON object");
      }
      json = object;
    } catch (DecodeException e) {
      boolean tooDeep = String.valueOf(e.getMessage()).contains("nesting depth");
      throw Refusal.badRequest(where + (tooDeep ? ": nested deeper than " + MAX_DEPTH + " levels" : ": malformed JSON"));
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw Refusal.badRequest(where + ": unknown field '" + field + "' (allowed: " + FIELDS + ")");
      }
    }
    String id = string(json, "id", where);
    if (id != null) {
      try {
        id = UUID.fromString(id).toString();
      } catch (IllegalArgumentException e) {
        throw Refusal.badRequest(where + ": id must be a UUID");
      }
    }
    String type = name(json, "type", where);
    String destination = name(json, "destination", where);
    String blobRef = string(json, "blobRef", where);
    Integer priority = null;
    if (json.containsKey("priority")) {
      Object p = json.getValue("priority");
      if (!(p instanceof Integer n) || n < 0 || n > Envelope.LOWEST_PRIORITY) {
        throw Refusal.badRequest(where + ": priority must be an integer 0.." + Envelope.LOWEST_PRIORITY);
      }
      priority = n;
    }
    String payload = null;
    if (json.containsKey("payload")) {
      checkBounds(json.getValue("payload"), 1, where);
      payload = Json.encode(json.getValue("payload"));
      if (payload.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
        throw new Refusal(413, "payload_too_large",
            where + ": inline payload exceeds " + maxPayloadBytes + " bytes; upload it as a blob");
      }
    }
    if ((payload == null) == (blobRef == null)) {
      throw Refusal.badRequest(where + ": give exactly one of payload and blobRef");
    }
    return new Input(line, id, type == null ? DEFAULT_TYPE : type, priority, destination, payload, blobRef);
  }

  /**
   * Bounds what a payload may hold, so every stored record can be written out again by any JSON
   * writer (export, history, provenance): nesting depth and number length. String sizes are bounded
   * by the payload size.
   */
  private static void checkBounds(Object value, int depth, String where) {
    Object v = value instanceof JsonObject o ? o.getMap() : value instanceof JsonArray a ? a.getList() : value;
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      if (depth > MAX_DEPTH) {
        throw Refusal.badRequest(where + ": payload nested deeper than " + MAX_DEPTH + " levels");
      }
      Collection<?> children = v instanceof Map<?, ?> m ? m.values() : (List<?>) v;
      for (Object child : children) {
        checkBounds(child, depth + 1, where);
      }
    } else if (v instanceof Number n && n.toString().length() > MAX_NUMBER_CHARS) {
      throw Refusal.badRequest(where + ": payload holds a number longer than " + MAX_NUMBER_CHARS + " characters");
    }
  }


  private static String string(JsonObject json, String field, String where) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw Refusal.badRequest(where + ": " + field + " must be a string");
    }
    return s;
  }

  private static String name(JsonObject json, String field, String where) {
    String s = string(json, field, where);
    if (s != null && !validName(s)) {
      throw Refusal.badRequest(where + ": " + field + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return s;
  }
}
