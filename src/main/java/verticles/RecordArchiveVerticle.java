package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.archive.ArchiveStore;
import tributary.archive.SegmentPlan;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.placement.FirstCopyChooser;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobRecorder;
import tributary.storage.LocalBlobStore;
import tributary.storage.SharedDigest;
import tributary.storage.StorageClient;
import tributary.storage.StorageNodes;
import tributary.store.Pg;

/**
 * Hands committed records to blob storage (E7): per channel, in cursor order, the records not yet
 * archived become NDJSON segment blobs, one per run of records from one edge site, written to a
 * storage node of that site and to two more elsewhere. The channel's progress row is locked while
 * a segment is made, so archivers on several nodes never archive the same records twice.
 */
public class RecordArchiveVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RecordArchiveVerticle.class);
  static final int RECORDS_PER_SEGMENT = 5_000;
  /** A notice archives channels with this many records waiting; the sweep takes every channel. */
  static final int BUSY_CHANNEL_RECORDS = 1_000;
  private static final long SWEEP_MS = 5_000;

  private NodeConfig config;
  private Pool pool;
  private ArchiveStore progress;
  private StorageNodes nodes;
  private BlobRecorder recorder;
  private StorageClient client;
  private SegmentPlan segments;
  private boolean running;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    pool = Pg.pool(vertx, config);
    progress = new ArchiveStore(pool);
    nodes = new StorageNodes(pool);
    recorder = new BlobRecorder(vertx, pool, config.storage().room());
    segments = new SegmentPlan(new FirstCopyChooser(config.storage().loadScore(), config.storage().room()),
        config.storage().room(), config.storage().copies(), new Random());
    return StorageClient.create(vertx, pool, config).compose(created -> {
      client = created;
      vertx.setPeriodic(SWEEP_MS, t -> run(1));
      return vertx.eventBus().consumer(Addresses.ARCHIVE_NOTICE, m -> run(BUSY_CHANNEL_RECORDS)).completion();
    });
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  /**
   * One pass over the channels with at least {@code minPending} records waiting; a channel left
   * with a full segment's worth runs another.
   */
  private void run(long minPending) {
    if (running) {
      return;
    }
    running = true;
    progress.behind(minPending, 100, RECORDS_PER_SEGMENT)
        .compose(channels -> channels.isEmpty() ? Future.succeededFuture(false)
            : nodes.liveStores().compose(live -> archiveAll(SegmentPlan.order(channels), live)))
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) {
            LOG.debug("archive pass failed [cause: {}]", ar.cause().getMessage());
          } else if (ar.result()) {
            run(BUSY_CHANNEL_RECORDS);
          }
        });
  }

  /** Archives the channels one after another; true if one was left with a full segment's worth. */
  private Future<Boolean> archiveAll(List<String> channels, List<StoreLoad> live) {
    Future<Boolean> chain = Future.succeededFuture(false);
    if (live.isEmpty()) {
      return chain;
    }
    for (String channel : channels) {
      chain = chain.compose(more -> archive(channel, live).map(full -> more || full));
    }
    return chain;
  }

  /** Archives the next records of the channel; true when more are waiting. */
  private Future<Boolean> archive(String channel, List<StoreLoad> live) {
    return pool.withTransaction(tx -> ArchiveStore.lock(tx, channel).compose(cursor -> cursor < 0
        ? Future.succeededFuture(false)
        : ArchiveStore.after(tx, channel, cursor, RECORDS_PER_SEGMENT).compose(pending -> {
          if (pending.isEmpty()) {
            return Future.succeededFuture(false);
          }
          Future<Void> chain = Future.succeededFuture();
          for (List<ArchiveStore.Pending> run : SegmentPlan.runsBySite(pending)) {
            chain = chain.compose(v -> segment(tx, channel, run, live));
          }
          long last = pending.get(pending.size() - 1).record().cursor();
          return chain.compose(v -> ArchiveStore.advance(tx, channel, last))
              .map(v -> pending.size() == RECORDS_PER_SEGMENT);
        })));
  }

  /** Writes one run of records as a segment blob on its three nodes and records where it is. */
  private Future<Void> segment(SqlConnection tx, String channel, List<ArchiveStore.Pending> run,
                               List<StoreLoad> live) {
    String site = run.get(0).site();
    Buffer ndjson = SegmentPlan.ndjson(run);
    List<StoreLoad> targets = segments.targets(live, site, ndjson.length());
    if (targets.isEmpty()) {
      return Future.failedFuture("no storage node has room for the segment of " + channel);
    }
    StoredRecord firstRecord = run.get(0).record();
    long firstCursor = firstRecord.cursor();
    long lastCursor = run.get(run.size() - 1).record().cursor();
    SharedDigest digest = new SharedDigest();
    List<Future<LocalBlobStore.Stored>> writes = targets.stream().map(t -> client.put(t, ndjson, digest)).toList();
    return Future.join(writes).transform(ignored -> {
      Map<StoreLoad, LocalBlobStore.Stored> durable = new LinkedHashMap<>();
      for (int i = 0; i < targets.size(); i++) {
        if (writes.get(i).succeeded()) {
          durable.put(targets.get(i), writes.get(i).result());
        }
      }
      if (durable.isEmpty()) {
        return Future.failedFuture("no storage node took the segment of " + channel);
      }
      LocalBlobStore.Stored s = durable.values().iterator().next();
      BlobCatalog.Blob blob = new BlobCatalog.Blob(Ids.newId(), s.sha256(), s.md5(), s.size(), "document",
          SegmentPlan.name(channel, firstCursor, lastCursor), "application/x-ndjson", "system",
          config.storage().copies(), List.of(), null, "archive:records", firstRecord.edge(),
          site == null ? config.site() : site, "live", System.currentTimeMillis(), SegmentPlan.priority(run));
      return recorder.record(blob, durable, Map.of(), live, "archive", "records")
          .compose(v -> ArchiveStore.segment(tx, channel, firstCursor, lastCursor, blob.blobId()))
          .onSuccess(v -> LOG.debug("records archived [channel: {}, cursors: {}-{}, blob: {}, copies: {}]", channel,
              firstCursor, lastCursor, blob.blobId(), durable.keySet().stream().map(StoreLoad::storeId).toList()));
    });
  }
}
