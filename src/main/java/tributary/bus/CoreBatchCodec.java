package tributary.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/** Wire form of {@link CoreBatch}: a group count, then each group in {@link EnvelopeBatchCodec}'s form. */
public final class CoreBatchCodec implements MessageCodec<CoreBatch, CoreBatch> {
  private final EnvelopeBatchCodec groupCodec = new EnvelopeBatchCodec();

  @Override
  public void encodeToWire(Buffer buffer, CoreBatch batch) {
    buffer.appendInt(batch.groups().size());
    for (EnvelopeBatch group : batch.groups()) {
      groupCodec.encodeToWire(buffer, group);
    }
  }

  @Override
  public CoreBatch decodeFromWire(int pos, Buffer buffer) {
    int count = buffer.getInt(pos);
    int[] cursor = {pos + 4};
    List<EnvelopeBatch> groups = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      groups.add(EnvelopeBatchCodec.read(buffer, cursor));
    }
    return new CoreBatch(groups);
  }

  @Override
  public CoreBatch transform(CoreBatch batch) {
    return batch;
  }

  @Override
  public String name() {
    return "core-batch.v" + Envelope.PROTOCOL_VERSION;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
