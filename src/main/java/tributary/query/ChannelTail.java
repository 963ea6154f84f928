package tributary.query;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import tributary.query.SseFrames.Frame;

/**
 * The one live tail of a channel on this node (Q3, Q4): it takes each commit notice once, keeps
 * the newest records encoded in a {@link FrameRing}, and hands every new run of frames, as one
 * buffer, to the readers attached at the head; nothing here touches Redis for them. Cursors are
 * dense, so a notice that was missed or overtaken shows as a hole, which the tail fills with one
 * read of the store before it hands anything on: the frames it hands on always continue the ring.
 * A hole wider than the ring is not filled: the ring skips ahead and every attached reader is let
 * go, to catch up from the store on its own. Readers that are not attached (catching up, waiting
 * for a drain, or only watching for commits) are told the newest committed cursor instead.
 * Plain and confined to one event loop.
 */
public final class ChannelTail {
  /** Records one fill asks the store for at most. */
  static final int FILL_PAGE = 500;

  /** Something that follows the channel on this node. */
  public interface Reader {
    /**
     * A new run of frames, for a reader attached at the head. False when the reader lets go of
     * the tail: the run does not continue what it saw, or its buffer is full.
     */
    boolean offer(Batch batch);

    /**
     * A commit to the channel, for a reader not attached (or no longer: the tail let it go):
     * {@code head} is the newest cursor committed.
     */
    void advanced(long head);

    /** The node's heartbeat. */
    default void ping() {}
  }

  /** Where a hole in the ring is filled from: the frames after {@code after}, at most {@code limit}, up to {@code upTo}. */
  @FunctionalInterface
  public interface Store {
    Future<List<Frame>> read(long after, int limit, long upTo);
  }

  /** A run of contiguous frames and their bytes as one buffer, written whole to every reader that continues from it. */
  public record Batch(List<Frame> frames, Buffer joined) {
    static Batch of(List<Frame> frames) {
      if (frames.size() == 1) {
        return new Batch(frames, frames.get(0).bytes());
      }
      return new Batch(frames, join(frames));
    }

    public long first() {
      return frames.get(0).cursor();
    }

    public long last() {
      return frames.get(frames.size() - 1).cursor();
    }

    /** The bytes of the frames after {@code after}, which must lie within the run. */
    public Buffer after(long after) {
      return after == first() - 1 ? joined : join(frames.subList((int) (after - first() + 1), frames.size()));
    }
  }

  /** The bytes of frames one after another. */
  public static Buffer join(List<Frame> frames) {
    int length = 0;
    for (Frame f : frames) {
      length += f.bytes().length();
    }
    Buffer out = Buffer.buffer(length);
    frames.forEach(f -> out.appendBuffer(f.bytes()));
    return out;
  }

  private final FrameRing ring;
  private final Store store;
  private final Set<Reader> attached = new LinkedHashSet<>();
  private final Set<Reader> waiting = new LinkedHashSet<>();
  /** Frames above a hole, waiting for it to be filled. */
  private final TreeMap<Long, Frame> pending = new TreeMap<>();
  /** Readers attached at the head, counted over every tail of the node (read by its metrics from any thread). */
  private final AtomicInteger attachedCount;
  private long announced = -1;
  private boolean filling;

  public ChannelTail(FrameRing ring, Store store, AtomicInteger attachedCount) {
    this.ring = ring;
    this.store = store;
    this.attachedCount = attachedCount;
  }

  public void add(Reader reader) {
    waiting.add(reader);
  }

  /** Forgets {@code reader}; false when it was not following this tail. */
  public boolean remove(Reader reader) {
    if (attached.remove(reader)) {
      attachedCount.decrementAndGet();
      return true;
    }
    return waiting.remove(reader);
  }

  public boolean isEmpty() {
    return attached.isEmpty() && waiting.isEmpty();
  }

  public int readers() {
    return attached.size() + waiting.size();
  }

  /** The newest cursor known committed: announced by a notice or held by the ring; -1 before any. */
  public long head() {
    return Math.max(announced, ring.last());
  }

  /**
   * What a reader that saw up to {@code after} needs from the ring to join the tail, or null when
   * it must read the store first (see {@link FrameRing#after}). Before the first notice the ring
   * knows nothing, and a reader joins only once it has read the store to its end
   * ({@code atStoreEnd}): whatever comes next continues it, or shows it a hole it then reads.
   */
  public List<Frame> join(long after, boolean atStoreEnd) {
    return !ring.known() && atStoreEnd ? List.of() : ring.after(after);
  }

  public boolean isAttached(Reader reader) {
    return attached.contains(reader);
  }

  /** From now on {@code reader} gets every run of frames the ring takes. */
  public void attach(Reader reader) {
    waiting.remove(reader);
    if (attached.add(reader)) {
      attachedCount.incrementAndGet();
    }
  }

  /**
   * Starts the ring after {@code head}, a cursor the store just gave as the channel's end, if the
   * tail has heard of no commit yet and no reader is attached (an attached reader may be behind
   * {@code head}, and notices up to it would then pass it by). Later streams opening at the
   * channel's end take {@link #head()} instead of asking the store again.
   */
  public void seed(long head) {
    if (!ring.known() && attached.isEmpty()) {
      ring.reset(head);
    }
  }

  /** A commit notice: cursors {@code first..last} and, unless empty, their frames. */
  public void notice(long first, long last, List<Frame> frames) {
    if (!ring.known()) {
      ring.reset(first - 1);
    }
    announced = Math.max(announced, last);
    for (Frame f : frames) {
      if (f.cursor() > ring.last()) {
        pending.put(f.cursor(), f);
      }
    }
    advance();
    tellWaiting();
  }

  /** Beats the heart of every reader. */
  public void ping() {
    attached.forEach(Reader::ping);
    waiting.forEach(Reader::ping);
  }

  /** Moves pending frames that continue the ring into it and on to the readers; fills a hole. */
  private void advance() {
    List<Frame> ready = null;
    Map.Entry<Long, Frame> next;
    while ((next = pending.firstEntry()) != null && next.getKey() <= ring.last() + 1) {
      pending.pollFirstEntry();
      if (next.getKey() == ring.last() + 1) {
        ring.append(next.getValue());
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(next.getValue());
      }
    }
    if (ready != null) {
      deliver(Batch.of(ready));
    }
    if (!filling && ring.last() < announced) {
      fill();
    }
  }

  /** Hands a run to every attached reader; one that lets go waits with the others, told of the commit next. */
  private void deliver(Batch batch) {
    for (Reader r : attached.toArray(new Reader[0])) {
      if (attached.contains(r) && !r.offer(batch) && attached.remove(r)) {
        attachedCount.decrementAndGet();
        waiting.add(r);
      }
    }
  }

  /** One read of the store for the hole between the ring and the next frame (or the newest cursor announced). */
  private void fill() {
    long upTo = pending.isEmpty() ? announced : pending.firstKey() - 1;
    long from = ring.last();
    if (upTo - from > ring.capacity()) {
      skipTo(upTo);
      return;
    }
    filling = true;
    store.read(from, (int) Math.min(FILL_PAGE, upTo - from), upTo).onComplete(ar -> {
      filling = false;
      boolean progress = false;
      if (ar.succeeded()) {
        for (Frame f : ar.result()) {
          if (f.cursor() > ring.last() && f.cursor() <= announced) {
            pending.put(f.cursor(), f);
            progress |= f.cursor() == from + 1;
          }
        }
      }
      if (!progress && ring.last() == from) {
        // The store failed or had nothing: never spin on it; the readers catch up on their own.
        skipTo(upTo);
      }
      advance();
      tellWaiting();
    });
  }

  /** Gives up on the frames up to {@code cursor}: the ring continues after it, and every attached reader is let go. */
  private void skipTo(long cursor) {
    ring.reset(cursor);
    pending.headMap(cursor, true).clear();
    waiting.addAll(attached);
    attachedCount.addAndGet(-attached.size());
    attached.clear();
  }

  private void tellWaiting() {
    if (!waiting.isEmpty()) {
      long head = head();
      for (Reader r : waiting.toArray(new Reader[0])) {
        if (waiting.contains(r)) {
          r.advanced(head);
        }
      }
    }
  }
}
