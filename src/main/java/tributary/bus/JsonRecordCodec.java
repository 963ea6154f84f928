package tributary.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.Json;

/**
 * Wire form of a small control message record: its JSON (via Jackson's record support), length
 * prefixed. Local sends pass the object itself, so nothing is serialised within a node.
 */
public final class JsonRecordCodec<T extends Record> implements MessageCodec<T, T> {
  private final Class<T> type;

  public JsonRecordCodec(Class<T> type) {
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

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
