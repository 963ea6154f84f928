package tributary.query;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tributary.bus.Addresses;
import tributary.bus.ChannelCommitted;
import tributary.query.SseFrames.Frame;

/**
 * The channels this node's live readers watch: one bus subscription and one {@link ChannelTail}
 * per channel however many readers it has, so a commit notice reaches a node once and its records
 * are encoded once there. The SSE heartbeat is one timer for the node, not one per stream.
 * Confined to the event loop of the verticle that owns it.
 */
public final class LiveChannels {
  /** What a tail's ring holds at most: records, and bytes of encoded events. */
  public static final int RING_FRAMES = 1024;
  public static final long RING_BYTES = 1 << 20;

  private final Vertx vertx;
  private final ChannelReader reader;
  private final Timer noticeDelay;
  /** Store reads of streams catching up, at most this many at once per node. */
  public static final int CATCH_UP_READS = 4;

  private final Map<String, Watched> channels = new HashMap<>();
  private final CatchUpGate catchUps = new CatchUpGate(CATCH_UP_READS);

  private record Watched(ChannelTail tail, MessageConsumer<ChannelCommitted> consumer) {}

  /**
   * Live channels read through {@code reader} when a tail must fill a hole; heartbeats every
   * {@code heartbeatMs}; {@code noticeDelay} times each notice from its sending to its streams.
   */
  public LiveChannels(Vertx vertx, ChannelReader reader, LongSupplier heartbeatMs, Timer noticeDelay) {
    this.vertx = vertx;
    this.reader = reader;
    this.noticeDelay = noticeDelay;
    heartbeat(heartbeatMs);
  }

  private void heartbeat(LongSupplier periodMs) {
    vertx.setTimer(periodMs.getAsLong(), t -> {
      channels.values().forEach(w -> w.tail().ping());
      heartbeat(periodMs);
    });
  }

  /** A store read of a stream catching up, run when the node's bound on such reads allows. */
  public <T> Future<T> catchUp(Supplier<Future<T>> read) {
    return catchUps.submit(read);
  }

  /** Adds {@code r} to the channel's tail, which starts following the channel if it was not. */
  public ChannelTail join(String channel, ChannelTail.Reader r) {
    Watched w = channels.computeIfAbsent(channel, this::watch);
    w.tail().add(r);
    return w.tail();
  }

  private Watched watch(String channel) {
    ChannelTail tail = new ChannelTail(new FrameRing(RING_FRAMES, RING_BYTES),
        (after, limit, upTo) -> reader.read(channel, after, limit, upTo).map(page -> page.records().stream()
            .map(e -> SseFrames.frame(e.cursor(), e.json())).toList()));
    MessageConsumer<ChannelCommitted> consumer = vertx.eventBus().consumer(Addresses.channelCommitted(channel),
        m -> {
          ChannelCommitted notice = m.body();
          tail.notice(notice.first(), notice.last(), frames(notice));
          noticeDelay.record(ChannelCommitted.epochMicros() - notice.sentAtMicros(), TimeUnit.MICROSECONDS);
        });
    return new Watched(tail, consumer);
  }

  /** The notice's records, encoded once for every reader of this node. */
  private static List<Frame> frames(ChannelCommitted notice) {
    List<Frame> out = new ArrayList<>(notice.records().size());
    long cursor = notice.first();
    for (String json : notice.records()) {
      out.add(SseFrames.frame(cursor++, json));
    }
    return out;
  }

  /** The newest cursor this node's tail of the channel knows, or -1 when it follows no such channel or knows none. */
  public long head(String channel) {
    Watched w = channels.get(channel);
    return w == null ? -1 : w.tail().head();
  }

  public void leave(String channel, ChannelTail.Reader r) {
    Watched w = channels.get(channel);
    if (w != null) {
      w.tail().remove(r);
      if (w.tail().isEmpty()) {
        w.consumer().unregister();
        channels.remove(channel);
      }
    }
  }

  /** Open live readers per watched channel. */
  public Map<String, Integer> readersByChannel() {
    Map<String, Integer> out = new HashMap<>();
    channels.forEach((channel, w) -> out.put(channel, w.tail().readers()));
    return out;
  }

  public int readers() {
    return channels.values().stream().mapToInt(w -> w.tail().readers()).sum();
  }

  /** Readers attached at the head of their channel's tail, written from the ring. */
  public int attachedReaders() {
    return channels.values().stream().mapToInt(w -> w.tail().attachedReaders()).sum();
  }
}
