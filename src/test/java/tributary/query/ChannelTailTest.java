package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.query.SseFrames.Frame;

/**
 * Q3, Q4: one tail per channel hands every reader at the head exactly the frames that continue it,
 * fills a hole left by a missed or overtaken notice with one store read, and lets go of readers
 * that cannot keep up or are left behind.
 */
class ChannelTailTest {
  private static Frame frame(long cursor) {
    return SseFrames.frame(cursor, "{\"cursor\":" + cursor + "}");
  }

  private static List<Frame> frames(long first, long last) {
    List<Frame> out = new ArrayList<>();
    for (long c = first; c <= last; c++) {
      out.add(frame(c));
    }
    return out;
  }

  /** A reader that keeps what it is offered with the stream's own rule: only what continues it. */
  private static final class Recorder implements ChannelTail.Reader {
    final List<Long> seen = new ArrayList<>();
    final List<String> bytes = new ArrayList<>();
    long after;
    boolean full;
    int advanced;

    Recorder(long after) {
      this.after = after;
    }

    @Override
    public boolean offer(ChannelTail.Batch batch) {
      if (batch.last() <= after) {
        return true;
      }
      if (batch.first() > after + 1) {
        return false;
      }
      bytes.add(batch.after(after).toString());
      for (Frame f : batch.frames()) {
        if (f.cursor() > after) {
          seen.add(f.cursor());
        }
      }
      after = batch.last();
      return !full;
    }

    @Override
    public void advanced(long head) {
      advanced++;
    }
  }

  /** A store whose reads the test answers. */
  private static final class Reads implements ChannelTail.Store {
    final List<long[]> asked = new ArrayList<>();
    final List<Promise<List<Frame>>> answers = new ArrayList<>();

    @Override
    public Future<List<Frame>> read(long after, int limit, long upTo) {
      asked.add(new long[] {after, limit, upTo});
      Promise<List<Frame>> p = Promise.promise();
      answers.add(p);
      return p.future();
    }
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long c = first; c <= last; c++) {
      out.add(c);
    }
    return out;
  }

  private static Recorder attached(ChannelTail tail, long after) {
    Recorder r = new Recorder(after);
    tail.add(r);
    tail.attach(r);
    return r;
  }

  /** A tail with a ring of {@code frames} and a store the test answers. */
  private static ChannelTail tail(int frames, Reads store) {
    return new ChannelTail(new FrameRing(frames, 1 << 20), store, new java.util.concurrent.atomic.AtomicInteger());
  }

  @Test
  void everyAttachedReaderGetsTheSameBytesOfEachRun() {
    Reads store = new Reads();
    ChannelTail tail = tail(100, store);
    Recorder a = attached(tail, 10);
    Recorder b = attached(tail, 10);
    tail.notice(11, 13, frames(11, 13));
    tail.notice(14, 14, frames(14, 14));
    assertEquals(range(11, 14), a.seen);
    assertEquals(a.bytes, b.bytes);
    assertEquals(0, store.asked.size(), "no store read at the head");
  }

  @Test
  void aHoleIsFilledWithOneStoreReadBeforeAnythingAfterItIsHandedOn() {
    Reads store = new Reads();
    ChannelTail tail = tail(100, store);
    Recorder a = attached(tail, 0);
    tail.notice(1, 2, frames(1, 2));
    tail.notice(6, 7, frames(6, 7));
    assertEquals(range(1, 2), a.seen, "nothing past the hole yet");
    assertEquals(1, store.asked.size());
    assertEquals(2, store.asked.get(0)[0]);
    assertEquals(5, store.asked.get(0)[2]);
    tail.notice(8, 8, frames(8, 8));
    assertEquals(1, store.asked.size(), "one fill at a time");
    store.answers.get(0).complete(frames(3, 5));
    assertEquals(range(1, 8), a.seen);
  }

  @Test
  void anOvertakenNoticeArrivingDuringTheFillIsNotHandedOnTwice() {
    Reads store = new Reads();
    ChannelTail tail = tail(100, store);
    Recorder a = attached(tail, 0);
    tail.notice(1, 1, frames(1, 1));
    tail.notice(4, 4, frames(4, 4));
    tail.notice(2, 3, frames(2, 3));
    assertEquals(range(1, 4), a.seen, "the late notice closes the hole");
    store.answers.get(0).complete(frames(2, 3));
    assertEquals(range(1, 4), a.seen, "the fill's answer adds nothing twice");
  }

  @Test
  void aRangeOnlyNoticeIsReadOnceForAllReaders() {
    Reads store = new Reads();
    ChannelTail tail = tail(100, store);
    Recorder a = attached(tail, 0);
    Recorder b = attached(tail, 0);
    tail.notice(1, 40, List.of());
    assertEquals(1, store.asked.size());
    store.answers.get(0).complete(frames(1, 40));
    assertEquals(range(1, 40), a.seen);
    assertEquals(range(1, 40), b.seen);
  }

  @Test
  void aHoleWiderThanTheRingLetsEveryReaderGoToCatchUp() {
    Reads store = new Reads();
    ChannelTail tail = tail(10, store);
    Recorder a = attached(tail, 0);
    tail.notice(1, 1, frames(1, 1));
    tail.notice(100, 100, frames(100, 100));
    assertEquals(0, store.asked.size(), "no fill of a hole the ring cannot hold");
    assertFalse(tail.isAttached(a));
    assertTrue(a.advanced > 0, "the reader is told to catch up");
    assertEquals(List.of(1L), a.seen);
    assertNull(tail.join(1, true), "the ring no longer holds what the reader lacks");
    assertEquals(List.of(), tail.join(100, false));
  }

  @Test
  void aFailedFillLetsReadersGoInsteadOfDeliveringAGap() {
    Reads store = new Reads();
    ChannelTail tail = tail(100, store);
    Recorder a = attached(tail, 0);
    tail.notice(1, 1, frames(1, 1));
    tail.notice(5, 5, frames(5, 5));
    store.answers.get(0).fail("store down");
    assertEquals(List.of(1L), a.seen);
    assertFalse(tail.isAttached(a));
    assertTrue(a.advanced > 0);
    assertEquals(5, tail.head());
  }

  @Test
  void aReaderWhoseBufferFillsIsLetGoAndTheOthersGoOn() {
    ChannelTail tail = tail(100, new Reads());
    Recorder slow = attached(tail, 0);
    Recorder fast = attached(tail, 0);
    slow.full = true;
    tail.notice(1, 1, frames(1, 1));
    assertFalse(tail.isAttached(slow));
    assertEquals(1, slow.advanced, "told of the commit, to catch up when it drains");
    tail.notice(2, 2, frames(2, 2));
    assertEquals(List.of(1L), slow.seen);
    assertEquals(range(1, 2), fast.seen);
    assertEquals(List.of(2L), cursors(tail.join(slow.after, false)), "it rejoins from the ring");
  }

  @Test
  void readersNotAttachedAreToldTheNewestCursor() {
    ChannelTail tail = tail(100, new Reads());
    long[] heads = {-1};
    tail.add(new ChannelTail.Reader() {
      @Override
      public boolean offer(ChannelTail.Batch batch) {
        throw new AssertionError("never attached");
      }

      @Override
      public void advanced(long head) {
        heads[0] = head;
      }
    });
    tail.notice(7, 9, frames(7, 9));
    assertEquals(9, heads[0]);
  }

  @Test
  void beforeAnyNoticeOnlyAReaderAtTheStoresEndJoins() {
    ChannelTail tail = tail(100, new Reads());
    assertNull(tail.join(0, false), "a reader that has not read the store to its end reads it first");
    assertEquals(List.of(), tail.join(5, true));
  }

  @Test
  void aSeedFromTheStoresEndCountsOnlyBeforeAnyNoticeAndWithNobodyAttached() {
    ChannelTail tail = tail(100, new Reads());
    tail.seed(20);
    assertEquals(20, tail.head(), "later streams at the end need not ask the store");
    tail.seed(25);
    assertEquals(20, tail.head(), "a known ring is not moved");
    ChannelTail watched = tail(100, new Reads());
    Recorder behind = attached(watched, 5);
    watched.seed(10);
    assertEquals(-1, watched.head(), "an attached reader may still need 6..10 from the notices");
    watched.notice(6, 10, frames(6, 10));
    assertEquals(range(6, 10), behind.seen);
  }

  private static List<Long> cursors(List<Frame> frames) {
    return frames.stream().map(Frame::cursor).toList();
  }
}
