package tributary.query;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of server-sent events (Q3): a record is {@code id: <cursor>}, {@code event: record},
 * {@code data: <json>} and a blank line. A live record is encoded once per node into a
 * {@link Frame} and the same buffer is written to every stream at the head.
 */
public final class SseFrames {
  private SseFrames() {}

  private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\nevent: record\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  /** The keep-alive comment every stream gets when idle. */
  public static final Buffer PING = Buffer.buffer(": ping\n\n");

  /** One record's event, encoded once. */
  public record Frame(long cursor, Buffer bytes) {
    /** The record's JSON, read back from the event (for readers that filter what they show). */
    public String json() {
      int start = ID.length + Long.toString(cursor).length() + DATA.length;
      return bytes.getString(start, bytes.length() - END.length, "UTF-8");
    }
  }

  public static Frame frame(long cursor, String json) {
    byte[] data = json.getBytes(StandardCharsets.UTF_8);
    byte[] id = Long.toString(cursor).getBytes(StandardCharsets.US_ASCII);
    Buffer bytes = Buffer.buffer(ID.length + id.length + DATA.length + data.length + END.length);
    bytes.appendBytes(ID).appendBytes(id).appendBytes(DATA).appendBytes(data).appendBytes(END);
    return new Frame(cursor, bytes);
  }

  /** Appends one record's event to {@code out} (pages read for one stream). */
  public static Buffer append(Buffer out, long cursor, String json) {
    return out.appendBytes(ID).appendString(Long.toString(cursor)).appendBytes(DATA).appendString(json)
        .appendBytes(END);
  }
}
