package tributary.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of a {@link ChannelCommitted}: the channel, the cursor range and each record's JSON as
 * length-prefixed UTF-8, so the records travel as the bytes they are, not as JSON strings escaped
 * inside another JSON document.
 */
public final class ChannelCommittedCodec extends LocalObjectCodec<ChannelCommitted> {
  public ChannelCommittedCodec() {
    super("ChannelCommitted");
  }

  @Override
  public void encodeToWire(Buffer buffer, ChannelCommitted notice) {
    appendText(buffer, notice.channel());
    buffer.appendLong(notice.first()).appendLong(notice.last()).appendInt(notice.records().size());
    notice.records().forEach(json -> appendText(buffer, json));
    buffer.appendLong(notice.sentAtMicros());
  }

  @Override
  public ChannelCommitted decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    String channel = readText(buffer, at);
    long first = buffer.getLong(at[0]);
    long last = buffer.getLong(at[0] + 8);
    int count = buffer.getInt(at[0] + 16);
    at[0] += 20;
    List<String> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(readText(buffer, at));
    }
    return new ChannelCommitted(channel, first, last, records, buffer.getLong(at[0]));
  }

  private static void appendText(Buffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readText(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    String text = buffer.getString(at[0] + 4, at[0] + 4 + length, "UTF-8");
    at[0] += 4 + length;
    return text;
  }
}
