package tributary.bus;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.util.RawValue;

/** A record as committed to its channel: the envelope plus its cursor and commit time. */
public record StoredRecord(
    String channel,
    long cursor,
    String id,
    String edge,
    String dataType,
    int priority,
    long producedAt,
    long committedAt,
    String sender,
    String destination,
    String payload,
    String blobRef) {

  public static StoredRecord of(Envelope e, long cursor, long committedAt) {
    return new StoredRecord(e.channel(), cursor, e.id(), e.edge(), e.dataType(), e.priority(), e.producedAt(),
        committedAt, e.sender(), e.destination(), e.payload(), e.blobRef());
  }

  /**
   * The public JSON form as text, as the API returns it and the channel cache keeps it. Built
   * directly: the payload is already JSON text and is embedded as it is, not parsed again.
   */
  public String toJsonText() {
    StringBuilder b = new StringBuilder(256 + (payload == null ? 0 : payload.length()));
    b.append("{\"cursor\":").append(cursor);
    field(b, "id", id);
    field(b, "channel", channel);
    field(b, "dataType", dataType);
    b.append(",\"priority\":").append(priority);
    b.append(",\"producedAt\":").append(producedAt);
    b.append(",\"committedAt\":").append(committedAt);
    field(b, "edge", edge);
    field(b, "sender", sender);
    if (destination != null) {
      field(b, "destination", destination);
    }
    if (payload != null) {
      b.append(",\"payload\":").append(payload);
    }
    if (blobRef != null) {
      field(b, "blobRef", blobRef);
    }
    return b.append('}').toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":\"");
    if (plain(value)) {
      b.append(value);
    } else {
      b.append(JsonStringEncoder.getInstance().quoteAsString(value));
    }
    b.append('"');
  }

  /**
   * True when JSON needs no escape in the text (no control character, quote or backslash, the
   * characters Jackson's encoder escapes): ids, channels and names nearly always, and then no
   * escaped copy is made (a record's JSON is built for its notice, its cache entry and its archive).
   */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * The public JSON form as a value to put in a JSON answer: written out as it is, never parsed
   * again, so a record any JSON parser would refuse (nested too deep) still fails nothing else.
   */
  public RawValue toJsonValue() {
    return new RawValue(toJsonText());
  }
}
