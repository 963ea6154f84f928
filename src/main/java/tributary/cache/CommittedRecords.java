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
 * channel cache and then tells the channel's live readers. The cache write is awaited (at most a
 * Redis timeout and a little) so a reader right after the acknowledgement finds the records in
 * Redis, but its failure fails nothing: PostgreSQL is the source of truth and readers fill any
 * cache gap from it.
 */
public final class CommittedRecords {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedRecords.class);
  private final Vertx vertx;
  private final DeliveryOptions options;

  public CommittedRecords(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(config.redisTimeoutMs() + 500);
  }

  public Future<Void> announce(Map<String, List<StoredRecord>> byChannel) {
    List<Future<?>> writes = new ArrayList<>();
    byChannel.forEach((channel, stored) -> writes.add(vertx.eventBus()
        .request(Addresses.CACHE_APPEND, new ChannelAppend(channel, stored), options)
        .onFailure(e -> LOG.warn("cache append failed [channel: {}, first cursor: {}, cause: {}]", channel,
            stored.get(0).cursor(), e.getMessage()))
        // Live readers are told after the cache write either way: they read from Redis, or from
        // PostgreSQL where Redis lacks the records.
        .onComplete(ar -> vertx.eventBus().publish(Addresses.channelCommitted(channel),
            new ChannelCommitted(channel, stored.get(stored.size() - 1).cursor())))));
    return Future.join(writes).otherwiseEmpty().mapEmpty();
  }
}
