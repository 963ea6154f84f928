package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.ChannelAppend;
import tributary.bus.EnvelopeBatch;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.store.Pg;
import tributary.store.RecordStore;

/**
 * Core processing (E5): commits each forwarded batch to PostgreSQL (dense cursors, duplicates
 * answered with their first cursor), hands the new records to the channel cache, and only then acknowledges to the gateway.
 */
public class CoreProcessingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CoreProcessingVerticle.class);
  private static final long CACHE_TIMEOUT_MS = 2000;

  private RecordStore records;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    records = new RecordStore(Pg.pool(vertx, config));
    return vertx.eventBus().<EnvelopeBatch>consumer(Addresses.CORE_IN, this::commit).completion();
  }

  private void commit(Message<EnvelopeBatch> message) {
    EnvelopeBatch batch = message.body();
    records.append(batch.envelopes(), System.currentTimeMillis())
        .compose(appended -> cache(appended.newByChannel()).map(appended.receipt()))
        .onSuccess(receipt -> {
          if (LOG.isDebugEnabled()) {
            receipt.records().forEach(r -> LOG.debug("committed [envelope: {}, channel: {}, cursor: {}]", r.id(),
                r.channel(), r.cursor()));
          }
          message.reply(receipt);
        })
        .onFailure(e -> {
          LOG.warn("commit failed [envelope: {}, batch size: {}]", batch.envelopes().get(0).id(),
              batch.envelopes().size(), e);
          message.fail(500, "commit failed: " + e.getMessage());
        });
  }

  /**
   * The cache write is awaited so a reader right after the acknowledgement finds the records in
   * Redis, but its failure does not fail the commit: PostgreSQL is the source of truth and readers
   * fill any cache gap from it.
   */
  private Future<Void> cache(Map<String, List<StoredRecord>> byChannel) {
    List<Future<?>> writes = new ArrayList<>();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(CACHE_TIMEOUT_MS);
    byChannel.forEach((channel, stored) -> {
      ChannelAppend append = new ChannelAppend(channel, stored);
      writes.add(vertx.eventBus().request(Addresses.CACHE_APPEND, append, options)
          .onFailure(e -> LOG.warn("cache append failed [channel: {}, first cursor: {}, cause: {}]", channel,
              stored.get(0).cursor(), e.getMessage())));
    });
    return Future.join(writes).otherwiseEmpty().mapEmpty();
  }
}
