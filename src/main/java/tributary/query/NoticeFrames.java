package tributary.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tributary.bus.ChannelCommitted;
import tributary.query.SseFrames.Frame;

/**
 * The SSE frames of commit notices, encoded once per node: every event loop of the HTTP face gets
 * the same notice object (local delivery hands it on as it is), and the first to encode it leaves
 * the frames here for the others. A small table of the newest notices, by identity; a notice
 * pushed out before another loop asked is encoded again, which costs time, never correctness.
 * Safe for use from any thread.
 */
public final class NoticeFrames {
  private static final int SLOTS = 16;

  private record Encoded(ChannelCommitted notice, List<Frame> frames) {}

  private final AtomicReferenceArray<Encoded> slots = new AtomicReferenceArray<>(SLOTS);

  /** The notice's records as frames (empty when it carries none). */
  public List<Frame> of(ChannelCommitted notice) {
    int slot = Math.floorMod(System.identityHashCode(notice), SLOTS);
    Encoded seen = slots.get(slot);
    if (seen != null && seen.notice() == notice) {
      return seen.frames();
    }
    List<Frame> frames = encode(notice);
    slots.set(slot, new Encoded(notice, frames));
    return frames;
  }

  private static List<Frame> encode(ChannelCommitted notice) {
    List<Frame> out = new ArrayList<>(notice.records().size());
    long cursor = notice.first();
    for (String json : notice.records()) {
      out.add(SseFrames.frame(cursor++, json));
    }
    return List.copyOf(out);
  }
}
