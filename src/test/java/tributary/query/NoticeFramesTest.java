package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.bus.ChannelCommitted;

class NoticeFramesTest {
  @Test
  void aNoticeIsEncodedOnceForEveryLoopThatAsks() {
    NoticeFrames frames = new NoticeFrames();
    ChannelCommitted notice = new ChannelCommitted("c", 7, 8, List.of("{\"a\":1}", "{\"a\":2}"));
    var first = frames.of(notice);
    assertSame(first, frames.of(notice), "the second loop takes the first one's frames");
    assertEquals(List.of(7L, 8L), first.stream().map(SseFrames.Frame::cursor).toList());
    assertEquals("id: 8\nevent: record\ndata: {\"a\":2}\n\n", first.get(1).bytes().toString());
  }

  @Test
  void anEqualButOtherNoticeIsEncodedForItself() {
    NoticeFrames frames = new NoticeFrames();
    ChannelCommitted one = new ChannelCommitted("c", 1, 1, List.of("{}"), 5);
    ChannelCommitted same = new ChannelCommitted("c", 1, 1, List.of("{}"), 5);
    assertNotSame(frames.of(one), frames.of(same));
    assertTrue(frames.of(ChannelCommitted.range("c", 2, 3)).isEmpty(), "a range notice has no frames");
  }
}
