package tributary.bus;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

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

  /** The public JSON form, as the API returns it and the channel cache keeps it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("cursor", cursor)
        .put("id", id)
        .put("channel", channel)
        .put("dataType", dataType)
        .put("priority", priority)
        .put("producedAt", producedAt)
        .put("committedAt", committedAt)
        .put("edge", edge)
        .put("sender", sender);
    if (destination != null) {
      json.put("destination", destination);
    }
    if (payload != null) {
      json.put("payload", Json.decodeValue(payload));
    }
    if (blobRef != null) {
      json.put("blobRef", blobRef);
    }
    return json;
  }
}
