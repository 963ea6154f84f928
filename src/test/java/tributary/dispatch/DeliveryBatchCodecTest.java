package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.dispatch.DispatchMessages.DeliveryBatch;
import tributary.dispatch.DispatchMessages.Task;

class DeliveryBatchCodecTest {
  @Test
  void aBatchCrossesTheWireWithItsDataByteExact() {
    byte[] data = {0, (byte) 0xff, 10, 13, (byte) 0x80};
    DeliveryBatch batch = new DeliveryBatch("node-a", List.of(
        new Task("1_5_000001", "alice", "bob", "reading", 9, "application/octet-stream", data, 5, 1),
        new Task("1_5_000002", "alice", "bøb", "t", 0, "text/plain; charset=utf-8", new byte[0], 6, 1)));
    DeliveryBatchCodec codec = new DeliveryBatchCodec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, batch);
    DeliveryBatch back = codec.decodeFromWire(6, wire);
    assertEquals("node-a", back.sourceNode());
    assertEquals(2, back.tasks().size());
    Task first = back.tasks().get(0);
    assertArrayEquals(data, first.payload());
    assertEquals(List.of("1_5_000001", "alice", "bob", "reading", 9, "application/octet-stream", 5L, 1),
        List.of(first.taskId(), first.sender(), first.dest(), first.dataType(), first.level(), first.contentType(),
            first.createdAt(), first.sourceWorker()));
    assertEquals("bøb", back.tasks().get(1).dest());
    assertEquals(0, back.tasks().get(1).payload().length);
  }
}
