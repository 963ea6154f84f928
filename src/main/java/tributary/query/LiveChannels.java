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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tributary.bus.Addresses;
import tributary.bus.ChannelCommitted;
import tributary.query.SseFrames.Frame;

/**
 * The channels the live readers of one HTTP event loop watch: one bus subscription and one
 * {@link ChannelTail} per channel however many readers it has, so a commit notice reaches the loop
 * once; its records are encoded once for the node ({@link NoticeFrames}, shared by the loops).
 * The SSE heartbeat is one timer for the loop, not one per stream. Confined to the event loop of
 * the verticle that owns it, but for {@link Shared}, which the node's loops share.
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
  /** Reads of a channel's end from the store in progress, shared by the streams waiting for them. */
  private final Map<String, Future<Long>> endReads = new HashMap<>();
  private final CatchUpGate catchUps = new CatchUpGate(CATCH_UP_READS);

  private record Watched(ChannelTail tail, MessageConsumer<ChannelCommitted> consumer) {}

  /** What the node's HTTP event loops share: the counts its metrics read, and the frames of each notice. */
  public record Shared(AtomicInteger readers, AtomicInteger attached, NoticeFrames frames) {
    public Shared() {
      this(new AtomicInteger(), new AtomicInteger(), new NoticeFrames());
    }
  }

  private final Shared shared;

  /**
   * Live channels read through {@code reader} when a tail must fill a hole; heartbeats every
   * {@code heartbeatMs}; {@code noticeDelay} times each notice from its sending to its streams.
   */
  public LiveChannels(Vertx vertx, ChannelReader reader, LongSupplier heartbeatMs, Timer noticeDelay, Shared shared) {
    this.vertx = vertx;
    this.shared = shared;
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
    shared.readers().incrementAndGet();
    return w.tail();
  }

  private Watched watch(String channel) {
    ChannelTail tail = new ChannelTail(new FrameRing(RING_FRAMES, RING_BYTES),
        (after, limit, upTo) -> reader.read(channel, after, limit, upTo).map(page -> page.records().stream()
            .map(e -> SseFrames.frame(e.cursor(), e.json())).toList()), shared.attached());
    MessageConsumer<ChannelCommitted> consumer = vertx.eventBus().consumer(Addresses.channelCommitted(channel),
        m -> {
          ChannelCommitted notice = m.body();
          tail.notice(notice.first(), notice.last(), shared.frames().of(notice));
          noticeDelay.record(ChannelCommitted.epochMicros() - notice.sentAtMicros(), TimeUnit.MICROSECONDS);
        });
    return new Watched(tail, consumer);
  }

  /**
   * The channel's end for a stream that starts there: as this loop's tail knows it, else one read of
   * {@code store} shared by every stream that asks while it runs, so a crowd opening streams on a
   * channel nobody here watched yet costs one query, not one each (a stream that joins a read
   * already running may start a little before its own arrival, never after: no record is missed).
   */
  public Future<Long> end(String channel, Supplier<Future<Long>> store) {
    long known = head(channel);
    if (known >= 0) {
      return Future.succeededFuture(known);
    }
    Future<Long> running = endReads.get(channel);
    if (running != null) {
      return running;
    }
    Future<Long> read = store.get();
    endReads.put(channel, read);
    read.onComplete(ar -> endReads.remove(channel, read));
    return read;
  }

  /** The newest cursor this loop's tail of the channel knows, or -1 when it follows no such channel or knows none. */
  private long head(String channel) {
    Watched w = channels.get(channel);
    return w == null ? -1 : w.tail().head();
  }

  public void leave(String channel, ChannelTail.Reader r) {
    Watched w = channels.get(channel);
    if (w != null) {
      if (w.tail().remove(r)) {
        shared.readers().decrementAndGet();
      }
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

}
