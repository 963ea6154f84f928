package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.query.SseFrames.Frame;

/** Q4: the ring holds contiguous frames within its bounds and tells a joining reader what it lacks, or that it must catch up. */
class FrameRingTest {
  private static Frame frame(long cursor) {
    return SseFrames.frame(cursor, "{\"cursor\":" + cursor + "}");
  }

  private static FrameRing ring(int frames, long bytes, long after, long upTo) {
    FrameRing ring = new FrameRing(frames, bytes);
    ring.reset(after);
    for (long c = after + 1; c <= upTo; c++) {
      ring.append(frame(c));
    }
    return ring;
  }

  private static List<Long> cursors(List<Frame> frames) {
    return frames.stream().map(Frame::cursor).toList();
  }

  @Test
  void aRingKeepsOnlyItsNewestFramesByCount() {
    FrameRing ring = ring(3, 1 << 20, 0, 10);
    assertEquals(8, ring.first());
    assertEquals(10, ring.last());
    assertEquals(3, ring.size());
  }

  @Test
  void aRingKeepsOnlyItsNewestFramesByBytes() {
    long one = frame(5).bytes().length();
    FrameRing ring = ring(100, one * 2, 0, 9);
    assertEquals(2, ring.size());
    assertEquals(8, ring.first());
  }

  @Test
  void aFrameThatDoesNotContinueTheRingIsRefused() {
    FrameRing ring = ring(10, 1 << 20, 0, 3);
    assertThrows(IllegalStateException.class, () -> ring.append(frame(5)));
    assertThrows(IllegalStateException.class, () -> ring.append(frame(3)));
    assertThrows(IllegalStateException.class, () -> new FrameRing(10, 100).append(frame(1)));
  }

  @Test
  void aReaderWithinTheRingGetsExactlyWhatItLacks() {
    FrameRing ring = ring(5, 1 << 20, 0, 10);
    assertEquals(List.of(7L, 8L, 9L, 10L), cursors(ring.after(6)));
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), cursors(ring.after(5)), "just before the oldest frame");
  }

  @Test
  void aReaderAtOrPastTheEndNeedsNothing() {
    FrameRing ring = ring(5, 1 << 20, 0, 10);
    assertEquals(List.of(), ring.after(10));
    assertEquals(List.of(), ring.after(12));
  }

  @Test
  void aReaderBehindTheRingMustCatchUpFromTheStore() {
    assertNull(ring(5, 1 << 20, 0, 10).after(4));
    FrameRing skipped = new FrameRing(5, 1 << 20);
    skipped.reset(100);
    assertNull(skipped.after(99), "an empty ring after a skip covers nothing before it");
  }

  @Test
  void aRingThatKnowsNoCursorYetCoversNothing() {
    FrameRing ring = new FrameRing(5, 1 << 20);
    assertTrue(!ring.known());
    assertNull(ring.after(42));
  }

  @Test
  void aFrameReadsBackItsJson() {
    assertEquals("{\"é\":12345}", SseFrames.frame(12345, "{\"é\":12345}").json());
    assertEquals("id: 7\nevent: record\ndata: {}\n\n", SseFrames.frame(7, "{}").bytes().toString());
  }
}
