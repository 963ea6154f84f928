package tributary.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * Wire form of a small control message record: its JSON (via Jackson's record support), length
 * prefixed. Local sends pass the object itself, so nothing is serialised within a node.
 */
public final class JsonRecordCodec<T extends Record> extends LocalObjectCodec<T> {
  private final Class<T> type;

  public JsonRecordCodec(Class<T> type) {
    super(type.getSimpleName());
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    Buffer json = Json.encodeToBuffer(message);
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Json.decodeValue(buffer.getBuffer(pos + 4, pos + 4 + length), type);
  }
}
