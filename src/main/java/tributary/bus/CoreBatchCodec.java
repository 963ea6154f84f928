package tributary.bus;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of {@link CoreBatch}: the gateway id (length-prefixed UTF-8), a group count, then each
 * group in {@link EnvelopeBatchCodec}'s form, its own request id with it; named for that form's version.
 */
public final class CoreBatchCodec extends LocalObjectCodec<CoreBatch> {
  public CoreBatchCodec() {
    super("core-batch.v" + EnvelopeBatch.WIRE_VERSION);
  }

  private final EnvelopeBatchCodec groupCodec = new EnvelopeBatchCodec();

  @Override
  public void encodeToWire(Buffer buffer, CoreBatch batch) {
    byte[] gateway = batch.gateway().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    buffer.appendInt(gateway.length).appendBytes(gateway);
    buffer.appendInt(batch.groups().size());
    for (EnvelopeBatch group : batch.groups()) {
      groupCodec.encodeToWire(buffer, group);
    }
  }

  @Override
  public CoreBatch decodeFromWire(int pos, Buffer buffer) {
    int gatewayLength = buffer.getInt(pos);
    String gateway = buffer.getString(pos + 4, pos + 4 + gatewayLength, "UTF-8");
    int at = pos + 4 + gatewayLength;
    int count = buffer.getInt(at);
    int[] cursor = {at + 4};
    List<EnvelopeBatch> groups = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      groups.add(EnvelopeBatchCodec.read(buffer, cursor));
    }
    return new CoreBatch(gateway, groups);
  }
}
