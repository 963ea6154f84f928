package tributary.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.ChannelAppend;
import tributary.bus.ChannelCommitted;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;

/**
 * What a writer does after its commit, for every channel it wrote: hands the records to the
 * channel cache and tells the channel's live readers. A notice carries the records themselves
 * when they fit in {@link #NOTICE_MAX_CHARS} and then goes out at once, since no reader needs the
 * cache for them; a larger commit is announced by its cursor range only, after the cache write,
 * so that the one read each node's tail makes finds it in Redis. The returned future ends with
 * the cache write (at most a Redis timeout and a little, after the channel's previous one);
 * writers do not wait for it before they answer, and its failure fails nothing: PostgreSQL is the source of truth and readers fill
 * any cache gap from it.
 */
public final class CommittedRecords {
  /** The most record JSON (in characters) one commit notice carries; above it, the range only. */
  public static final int NOTICE_MAX_CHARS = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(CommittedRecords.class);
  private final Vertx vertx;
  private final DeliveryOptions options;
  /**
   * Each channel's newest cache write: the next one waits for it, so a writer's appends reach
   * Redis in cursor order even when the channel's appends go to different cache nodes (Redis
   * refuses an entry below the stream's last, which would leave a hole readers fill from
   * PostgreSQL). Confined to the owning verticle's event loop.
   */
  private final Map<String, Future<Void>> lastAppend = new java.util.HashMap<>();

  public CommittedRecords(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(config.redisTimeoutMs() + 500);
  }

  public Future<Void> announce(Map<String, List<StoredRecord>> byChannel) {
    List<Future<?>> writes = new ArrayList<>();
    byChannel.forEach((channel, stored) -> {
      ChannelCommitted notice = notice(channel, stored);
      if (notice.carriesRecords()) {
        vertx.eventBus().publish(Addresses.channelCommitted(channel), notice);
      }
      Future<Void> previous = lastAppend.getOrDefault(channel, Future.succeededFuture());
      // after the previous write either way, with this write's own outcome
      Future<Void> write = previous.transform(done -> vertx.eventBus()
              .request(Addresses.CACHE_APPEND, new ChannelAppend(channel, stored), options))
          .onFailure(e -> LOG.warn("cache append failed [channel: {}, first cursor: {}, cause: {}]", channel,
              stored.get(0).cursor(), e.getMessage()))
          // A range-only notice goes out after the cache write either way: the tails read the
          // range from Redis, or from PostgreSQL where Redis lacks it.
          .onComplete(ar -> {
            if (!notice.carriesRecords()) {
              vertx.eventBus().publish(Addresses.channelCommitted(channel), notice);
            }
          }).mapEmpty();
      lastAppend.put(channel, write);
      write.onComplete(ar -> lastAppend.remove(channel, write));
      writes.add(write);
    });
    return Future.join(writes).otherwiseEmpty().mapEmpty();
  }

  /** The notice of one channel's commit: with its records when they fit, else the range only. */
  static ChannelCommitted notice(String channel, List<StoredRecord> stored) {
    long first = stored.get(0).cursor();
    long last = stored.get(stored.size() - 1).cursor();
    if (last - first + 1 != stored.size()) {
      return ChannelCommitted.range(channel, first, last);
    }
    List<String> json = new ArrayList<>(stored.size());
    long chars = 0;
    for (StoredRecord r : stored) {
      String text = r.toJsonText();
      chars += text.length();
      if (chars > NOTICE_MAX_CHARS) {
        return ChannelCommitted.range(channel, first, last);
      }
      json.add(text);
    }
    return new ChannelCommitted(channel, first, last, json);
  }
}
