package tributary.query;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import tributary.bus.Addresses;
import tributary.bus.ChannelCommitted;

/**
 * The channels this node's live readers watch: one bus subscription per channel however many
 * readers it has, so commit notices reach only nodes that have readers, once. Confined to the
 * event loop of the verticle that owns it.
 */
public final class LiveChannels {
  private final Vertx vertx;
  private final Map<String, Watched> channels = new HashMap<>();

  private static final class Watched {
    final Set<LongConsumer> readers = new LinkedHashSet<>();
    MessageConsumer<ChannelCommitted> consumer;
    long head = -1;
  }

  public LiveChannels(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts telling {@code reader} every new head cursor of the channel. */
  public void join(String channel, LongConsumer reader) {
    Watched w = channels.computeIfAbsent(channel, c -> {
      Watched created = new Watched();
      created.consumer = vertx.eventBus().<ChannelCommitted>consumer(Addresses.channelCommitted(c), m -> {
        long head = m.body().lastCursor();
        if (head > created.head) {
          created.head = head;
        }
        for (LongConsumer r : Set.copyOf(created.readers)) {
          r.accept(created.head);
        }
      });
      return created;
    });
    w.readers.add(reader);
  }

  public void leave(String channel, LongConsumer reader) {
    Watched w = channels.get(channel);
    if (w != null && w.readers.remove(reader) && w.readers.isEmpty()) {
      w.consumer.unregister();
      channels.remove(channel);
    }
  }

  /** The newest cursor a notice announced, or -1 when none arrived yet. */
  public long head(String channel) {
    Watched w = channels.get(channel);
    return w == null ? -1 : w.head;
  }

  /** Open live readers per watched channel. */
  public Map<String, Integer> readersByChannel() {
    Map<String, Integer> out = new HashMap<>();
    channels.forEach((channel, w) -> out.put(channel, w.readers.size()));
    return out;
  }

  public int readers() {
    return channels.values().stream().mapToInt(w -> w.readers.size()).sum();
  }
}
