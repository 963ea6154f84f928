package tributary.bus;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of {@link EnvelopeBatch}: a version byte ({@link EnvelopeBatch#WIRE_VERSION}), the
 * request id, a count, then each envelope in {@link EnvelopeCodec}'s form. A reader refuses
 * versions it does not know, and the codec's name carries the version, so nodes of different
 * versions fail loudly instead of misreading.
 */
public final class EnvelopeBatchCodec extends LocalObjectCodec<EnvelopeBatch> {
  public EnvelopeBatchCodec() {
    super("envelope-batch.v" + EnvelopeBatch.WIRE_VERSION);
  }

  @Override
  public void encodeToWire(Buffer buffer, EnvelopeBatch batch) {
    buffer.appendByte((byte) EnvelopeBatch.WIRE_VERSION);
    EnvelopeCodec.writeString(buffer, batch.requestId());
    buffer.appendInt(batch.envelopes().size());
    for (Envelope e : batch.envelopes()) {
      EnvelopeCodec.write(buffer, e);
    }
  }

  @Override
  public EnvelopeBatch decodeFromWire(int pos, Buffer buffer) {
    return read(buffer, new int[] {pos});
  }

  /** Reads one batch at {@code pos[0]} and advances it past the batch. */
  static EnvelopeBatch read(Buffer buffer, int[] pos) {
    int version = buffer.getByte(pos[0]++);
    if (version != EnvelopeBatch.WIRE_VERSION) {
      throw new IllegalStateException("unsupported envelope batch version " + version);
    }
    String requestId = EnvelopeCodec.readString(buffer, pos);
    int count = buffer.getInt(pos[0]);
    pos[0] += 4;
    List<Envelope> envelopes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      envelopes.add(EnvelopeCodec.read(buffer, pos));
    }
    return new EnvelopeBatch(requestId, envelopes);
  }
}
