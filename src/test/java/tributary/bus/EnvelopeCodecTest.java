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
  void batchRoundTripsWithItsRequestIdNullFieldsAndBlobReferences() {
    EnvelopeBatch batch = new EnvelopeBatch("abc-123", List.of(
        sample("a", "1", null),
        new Envelope("b", "edge-2", "c2", "file", 0, 5, "bob", "carol", null, "sha256:abc")));
    EnvelopeBatchCodec codec = new EnvelopeBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, batch);
    EnvelopeBatch read = codec.decodeFromWire(0, wire);
    assertEquals(batch, read);
    assertEquals("abc-123", read.requestId());
    assertEquals(0, batch.priority());
    assertEquals("envelope-batch.v2", codec.name(), "the name changes with the wire form, so old nodes refuse it");
  }

  @Test
  void aForwardToCoreKeepsEachEdgeBatchsOwnRequestId() {
    CoreBatch forward = new CoreBatch("gateway-1", List.of(
        new EnvelopeBatch("request-a", List.of(sample("a", "1", null))),
        new EnvelopeBatch("request-b", List.of(sample("b", "2", null), sample("c", "3", null)))));
    CoreBatchCodec codec = new CoreBatchCodec();
    Buffer wire = Buffer.buffer("xy");
    codec.encodeToWire(wire, forward);
    CoreBatch read = codec.decodeFromWire(2, wire);
    assertEquals(forward, read);
    assertEquals(List.of("request-a", "request-b"), read.groups().stream().map(EnvelopeBatch::requestId).toList());
    assertEquals("core-batch.v2", codec.name());
  }

  @Test
  void unknownBatchVersionIsRefused() {
    Buffer wire = Buffer.buffer();
    new EnvelopeBatchCodec().encodeToWire(wire, new EnvelopeBatch("r", List.of(sample("a", "1", null))));
    wire.setByte(0, (byte) 1);
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> new EnvelopeBatchCodec().decodeFromWire(0, wire));
    assertEquals("unsupported envelope batch version 1", refused.getMessage());
  }

  @Test
  void aBatchAlwaysNamesItsRequest() {
    assertThrows(NullPointerException.class, () -> new EnvelopeBatch(null, List.of(sample("a", "1", null))));
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
