package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A commit notice crosses the cluster as it was sent: its range and its records' JSON, byte for byte. */
class ChannelCommittedCodecTest {
  private static ChannelCommitted roundTrip(ChannelCommitted notice) {
    Buffer wire = Buffer.buffer().appendString("xx");
    new ChannelCommittedCodec().encodeToWire(wire, notice);
    return new ChannelCommittedCodec().decodeFromWire(2, wire);
  }

  @Test
  void aNoticeWithRecordsTravelsWhole() {
    ChannelCommitted notice = new ChannelCommitted("temps.é", 7, 8, List.of("{\"a\":\"ü\"}", "{\"b\":[1,2]}"));
    assertEquals(notice, roundTrip(notice));
  }

  @Test
  void aRangeOnlyNoticeTravelsWhole() {
    ChannelCommitted notice = ChannelCommitted.range("c", 1, 5000);
    assertEquals(notice, roundTrip(notice));
  }

  @Test
  void recordsMustMatchTheirRange() {
    assertThrows(IllegalArgumentException.class, () -> new ChannelCommitted("c", 1, 3, List.of("{}")));
    assertThrows(IllegalArgumentException.class, () -> ChannelCommitted.range("c", 5, 4));
  }
}
