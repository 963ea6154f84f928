package tributary.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The one wire form of {@link Envelope} (E3): a version byte, then the fields in order, strings as
 * int length + UTF-8 (length -1 for null). A reader refuses versions it does not know, so mixed
 * clusters fail loudly instead of misreading.
 */
public final class EnvelopeCodec extends LocalObjectCodec<Envelope> {
  public EnvelopeCodec() {
    super("envelope.v" + Envelope.PROTOCOL_VERSION);
  }


  public static void write(Buffer out, Envelope e) {
    out.appendByte((byte) Envelope.PROTOCOL_VERSION);
    writeString(out, e.id());
    writeString(out, e.edge());
    writeString(out, e.channel());
    writeString(out, e.dataType());
    out.appendByte((byte) e.priority());
    out.appendLong(e.producedAt());
    writeString(out, e.sender());
    writeString(out, e.destination());
    writeString(out, e.payload());
    writeString(out, e.blobRef());
  }

  /** Reads one envelope at {@code pos[0]} and advances it past the envelope. */
  public static Envelope read(Buffer in, int[] pos) {
    int version = in.getByte(pos[0]++);
    if (version != Envelope.PROTOCOL_VERSION) {
      throw new IllegalStateException("unsupported envelope version " + version);
    }
    String id = readString(in, pos);
    String edge = readString(in, pos);
    String channel = readString(in, pos);
    String dataType = readString(in, pos);
    int priority = in.getByte(pos[0]++);
    long producedAt = in.getLong(pos[0]);
    pos[0] += 8;
    String sender = readString(in, pos);
    String destination = readString(in, pos);
    String payload = readString(in, pos);
    String blobRef = readString(in, pos);
    return new Envelope(id, edge, channel, dataType, priority, producedAt, sender, destination, payload, blobRef);
  }

  /** A string as its UTF-8 length and bytes (-1 for null), as every binary codec writes it. */
  public static void writeString(Buffer out, String s) {
    if (s == null) {
      out.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  public static String readString(Buffer in, int[] pos) {
    int length = in.getInt(pos[0]);
    pos[0] += 4;
    if (length < 0) {
      return null;
    }
    String s = in.getString(pos[0], pos[0] + length, "UTF-8");
    pos[0] += length;
    return s;
  }

  @Override
  public void encodeToWire(Buffer buffer, Envelope envelope) {
    write(buffer, envelope);
  }

  @Override
  public Envelope decodeFromWire(int pos, Buffer buffer) {
    return read(buffer, new int[] {pos});
  }
}
