package tributary.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import tributary.query.SseFrames.Frame;

/**
 * The newest encoded records of one channel on this node: contiguous cursors ending at
 * {@link #last()}, at most {@code maxFrames} of them and {@code maxBytes} of events, the oldest
 * dropped first. Before its first record it knows no cursor at all. Plain and confined to one
 * event loop.
 */
public final class FrameRing {
  private final int maxFrames;
  private final long maxBytes;
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private long bytes;
  private long last = -1;

  public FrameRing(int maxFrames, long maxBytes) {
    if (maxFrames < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a ring holds at least one frame");
    }
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  public boolean known() {
    return last >= 0;
  }

  /** The newest cursor the ring continues from; -1 before it knows any. */
  public long last() {
    return last;
  }

  /** The oldest cursor held; {@code last() + 1} when nothing is held. */
  public long first() {
    return frames.isEmpty() ? last + 1 : frames.peekFirst().cursor();
  }

  public int size() {
    return frames.size();
  }

  public int capacity() {
    return maxFrames;
  }

  /** Forgets every frame: the ring continues after {@code cursor}. */
  public void reset(long cursor) {
    frames.clear();
    bytes = 0;
    last = cursor;
  }

  /** Adds the next frame, which must continue the ring (cursor {@code last() + 1}). */
  public void append(Frame frame) {
    if (!known() || frame.cursor() != last + 1) {
      throw new IllegalStateException("frame " + frame.cursor() + " does not continue the ring at " + last);
    }
    frames.addLast(frame);
    bytes += frame.bytes().length();
    last = frame.cursor();
    while (frames.size() > maxFrames || (bytes > maxBytes && frames.size() > 1)) {
      bytes -= frames.removeFirst().bytes().length();
    }
  }

  /**
   * The join decision for a reader that has seen everything up to {@code after}: the frames it
   * still needs from the ring (possibly none, for a reader at or past the ring's end), or null
   * when the ring does not hold all of them (or knows no cursor yet) and the reader must catch up
   * from the store first.
   */
  public List<Frame> after(long after) {
    if (!known() || after < first() - 1) {
      return null;
    }
    if (after >= last) {
      return List.of();
    }
    List<Frame> out = new ArrayList<>((int) (last - after));
    Iterator<Frame> newestFirst = frames.descendingIterator();
    while (newestFirst.hasNext()) {
      Frame f = newestFirst.next();
      if (f.cursor() <= after) {
        break;
      }
      out.add(f);
    }
    java.util.Collections.reverse(out);
    return out;
  }
}
