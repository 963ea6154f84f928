package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
  private static Envelope sample(String id, String payload, String blobRef) {
    return new Envelope(id, "edge-1", "temps", "reading", 3, 1_700_000_000_123L, "alice", null, payload, blobRef);
  }

  @Test
  void envelopeRoundTripsOnTheWireAfterOtherBytes() {
    Envelope e = sample("0e781832-76ae-4829-88c3-90ee8390ddc3", "{\"c\":\"21.5 °C ✓\"}", null);
    EnvelopeCodec codec = new EnvelopeCodec();
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, e);
    assertEquals(e, codec.decodeFromWire(6, wire));
  }

  @Test
  void batchRoundTripsWithNullFieldsAndBlobReferences() {
    EnvelopeBatch batch = new EnvelopeBatch(List.of(
        sample("a", "1", null),
        new Envelope("b", "edge-2", "c2", "file", 0, 5, "bob", "carol", null, "sha256:abc")));
    EnvelopeBatchCodec codec = new EnvelopeBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, batch);
    assertEquals(batch, codec.decodeFromWire(0, wire));
    assertEquals(0, batch.priority());
  }

  @Test
  void unknownVersionIsRefused() {
    Buffer wire = Buffer.buffer();
    new EnvelopeCodec().encodeToWire(wire, sample("a", "1", null));
    wire.setByte(0, (byte) 99);
    assertThrows(IllegalStateException.class, () -> new EnvelopeCodec().decodeFromWire(0, wire));
  }

  @Test
  void envelopeNeedsExactlyOnePayloadKindAndAValidPriority() {
    assertThrows(IllegalArgumentException.class, () -> sample("a", null, null));
    assertThrows(IllegalArgumentException.class, () -> sample("a", "1", "ref"));
    assertThrows(IllegalArgumentException.class,
        () -> new Envelope("a", "e", "c", "t", 10, 0, "s", null, "1", null));
  }

  @Test
  void controlMessagesRoundTripThroughTheJsonCodec() {
    JsonRecordCodec<CommitReceipt> codec = new JsonRecordCodec<>(CommitReceipt.class);
    CommitReceipt receipt = new CommitReceipt(List.of(new CommitReceipt.Committed("a", "c", 7, true)));
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, receipt);
    assertEquals(receipt, codec.decodeFromWire(0, wire));
  }
}
