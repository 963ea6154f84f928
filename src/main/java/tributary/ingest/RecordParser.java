package tributary.ingest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tributary.bus.Envelope;
import tributary.http.HttpError;

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

  /** One parsed record; null fields were not given. */
  public record Input(String id, String type, Integer priority, String destination, String payload, String blobRef) {}

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public static List<Input> parse(String body, boolean ndjson, int maxPayloadBytes) {
    List<Input> out = new ArrayList<>();
    if (!ndjson) {
      out.add(parseOne(body, "body", maxPayloadBytes));
      return out;
    }
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty()) {
        out.add(parseOne(line, "line " + (i + 1), maxPayloadBytes));
      }
    }
    if (out.isEmpty()) {
      throw HttpError.badRequest("the body holds no record");
    }
    return out;
  }

  private static Input parseOne(String text, String where, int maxPayloadBytes) {
    JsonObject json;
    try {
      Object value = Json.decodeValue(text);
      if (!(value instanceof JsonObject object)) {
        throw HttpError.badRequest(where + ": a record must be a JSON object");
      }
      json = object;
    } catch (DecodeException e) {
      throw HttpError.badRequest(where + ": malformed JSON");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw HttpError.badRequest(where + ": unknown field '" + field + "' (allowed: " + FIELDS + ")");
      }
    }
    String id = string(json, "id", where);
    if (id != null) {
      try {
        id = UUID.fromString(id).toString();
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest(where + ": id must be a UUID");
      }
    }
    String type = name(json, "type", where);
    String destination = name(json, "destination", where);
    String blobRef = string(json, "blobRef", where);
    Integer priority = null;
    if (json.containsKey("priority")) {
      Object p = json.getValue("priority");
      if (!(p instanceof Integer n) || n < 0 || n > Envelope.LOWEST_PRIORITY) {
        throw HttpError.badRequest(where + ": priority must be an integer 0.." + Envelope.LOWEST_PRIORITY);
      }
      priority = n;
    }
    String payload = null;
    if (json.containsKey("payload")) {
      payload = Json.encode(json.getValue("payload"));
      if (payload.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
        throw new HttpError(413, "payload_too_large",
            where + ": inline payload exceeds " + maxPayloadBytes + " bytes; upload it as a blob");
      }
    }
    if ((payload == null) == (blobRef == null)) {
      throw HttpError.badRequest(where + ": give exactly one of payload and blobRef");
    }
    return new Input(id, type == null ? DEFAULT_TYPE : type, priority, destination, payload, blobRef);
  }

  private static String string(JsonObject json, String field, String where) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw HttpError.badRequest(where + ": " + field + " must be a string");
    }
    return s;
  }

  private static String name(JsonObject json, String field, String where) {
    String s = string(json, field, where);
    if (s != null && !validName(s)) {
      throw HttpError.badRequest(where + ": " + field + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return s;
  }
}
