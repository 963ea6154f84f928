package tributary.dispatch;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import tributary.bus.EnvelopeCodec;
import tributary.bus.LocalObjectCodec;
import tributary.dispatch.DispatchMessages.DeliveryBatch;
import tributary.dispatch.DispatchMessages.Task;

/**
 * Wire form of a dispatch {@link DeliveryBatch}: the source node, a count, then each task with its
 * data as raw bytes (JSON would carry them as base64, a third larger and slow to code).
 */
public final class DeliveryBatchCodec extends LocalObjectCodec<DeliveryBatch> {
  public DeliveryBatchCodec() {
    super("dispatch-delivery-batch.v1");
  }

  @Override
  public void encodeToWire(Buffer buffer, DeliveryBatch batch) {
    EnvelopeCodec.writeString(buffer, batch.sourceNode());
    buffer.appendInt(batch.tasks().size());
    for (Task t : batch.tasks()) {
      EnvelopeCodec.writeString(buffer, t.taskId());
      EnvelopeCodec.writeString(buffer, t.sender());
      EnvelopeCodec.writeString(buffer, t.dest());
      EnvelopeCodec.writeString(buffer, t.dataType());
      buffer.appendByte((byte) t.level());
      EnvelopeCodec.writeString(buffer, t.contentType());
      buffer.appendInt(t.payload().length).appendBytes(t.payload());
      buffer.appendLong(t.createdAt()).appendInt(t.sourceWorker());
    }
  }

  @Override
  public DeliveryBatch decodeFromWire(int start, Buffer buffer) {
    int[] pos = {start};
    String sourceNode = EnvelopeCodec.readString(buffer, pos);
    int count = buffer.getInt(pos[0]);
    pos[0] += 4;
    List<Task> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String taskId = EnvelopeCodec.readString(buffer, pos);
      String sender = EnvelopeCodec.readString(buffer, pos);
      String dest = EnvelopeCodec.readString(buffer, pos);
      String dataType = EnvelopeCodec.readString(buffer, pos);
      int level = buffer.getByte(pos[0]++);
      String contentType = EnvelopeCodec.readString(buffer, pos);
      int length = buffer.getInt(pos[0]);
      byte[] payload = buffer.getBytes(pos[0] + 4, pos[0] + 4 + length);
      pos[0] += 4 + length;
      long createdAt = buffer.getLong(pos[0]);
      int sourceWorker = buffer.getInt(pos[0] + 8);
      pos[0] += 12;
      tasks.add(new Task(taskId, sender, dest, dataType, level, contentType, payload, createdAt, sourceWorker));
    }
    return new DeliveryBatch(sourceNode, tasks);
  }
}
