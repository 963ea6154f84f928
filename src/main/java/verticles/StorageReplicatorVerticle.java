package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.config.NodeConfig;
import tributary.config.StorageConfig;
import tributary.node.Metrics;
import tributary.storage.BadCopies;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobCollector;
import tributary.storage.LocalBlobStore;
import tributary.storage.MediaProber;
import tributary.storage.PlanExchange;
import tributary.storage.RateLimit;
import tributary.storage.Scrubber;
import tributary.storage.StorageClient;
import tributary.storage.StorageNode;
import tributary.storage.TaskPoller;
import tributary.storage.TaskRunner;
import tributary.storage.TaskStore;
import tributary.storage.TransferServer;
import tributary.storage.tasks.MediaProbe;
import tributary.storage.volume.VolumeSet;
import tributary.store.Pg;

/**
 * The storage replicator (S1, S3-S5): runs this process's storage nodes, each a local blob store
 * in its own folder, behind one internal transfer server ({@link TransferServer}); heartbeats each
 * node's load to management; runs the task items planned for its nodes, fetched and marked as
 * each node's plan file ({@link TaskPoller}); measures the duration of the video and audio they
 * hold ({@link MediaProber}); and
 * scrubs every copy on a period ({@link Scrubber}) and sweeps leftovers ({@link BlobCollector}).
 */
public class StorageReplicatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReplicatorVerticle.class);

  private NodeConfig config;
  private StorageConfig storage;
  private TaskStore tasks;
  private StorageClient client;
  private TransferServer server;
  private MediaProber prober;
  private String url;
  private final List<StorageNode> nodes = new ArrayList<>();

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    storage = config.storage();
    Pool pool = Pg.pool(vertx, config);
    BlobCatalog catalog = new BlobCatalog(pool);
    BlobCollector collector = new BlobCollector(vertx, catalog);
    BadCopies badCopies = new BadCopies(vertx, catalog, collector);
    Scrubber scrubber = new Scrubber(vertx, catalog, badCopies, storage.scrubPeriodMs());
    tasks = new TaskStore(pool);
    return StorageClient.create(vertx, pool, config)
        .compose(created -> {
          client = created;
          return vertx.executeBlocking(MediaProbe::ffprobe);
        })
        .compose(ffprobe -> {
          prober = new MediaProber(vertx, catalog, ffprobe);
          return vertx.executeBlocking(this::openNodes);
        })
        .compose(opened -> {
          nodes.addAll(opened);
          server = new TransferServer(vertx, client, nodes, badCopies, Metrics.registry(config));
          return server.listen(storage.host(), storage.port());
        })
        .compose(port -> {
          url = client.url(storage.host(), port);
          TaskPoller poller = new TaskPoller(vertx, new PlanExchange(vertx, tasks),
              new TaskRunner(vertx, pool, client, config));
          List<Future<?>> ready = new ArrayList<>();
          for (StorageNode node : nodes) {
            // items this node had started before a restart died with it; management may start later
            ready.add(tasks.failItemsOn(List.of(node.id()), System.currentTimeMillis())
                .compose(v -> heartbeat(node).otherwiseEmpty()));
            vertx.setPeriodic(storage.heartbeatMs(), t -> heartbeat(node));
            vertx.setPeriodic(storage.taskPollMs(), t -> poller.poll(node));
            vertx.eventBus().consumer(Addresses.storageTasks(node.id()), m -> poller.poll(node));
            vertx.setPeriodic(storage.taskPollMs(), t -> prober.probe(node));
            vertx.setPeriodic(Scrubber.checkEveryMs(storage.scrubPeriodMs()), t -> scrubber.scrub(node));
            vertx.setPeriodic(storage.scrubPeriodMs(), t -> collector.sweepLeftovers(node));
          }
          LOG.info("storage nodes ready [nodes: {}, transfer: {}, large blobs written: {}]",
              nodes.stream().map(StorageNode::id).toList(), url,
              nodes.stream().allMatch(n -> n.disk().writesDirect()) ? "direct" : "through the page cache");
          return Future.join(ready);
        });
  }

  private List<StorageNode> openNodes() {
    List<StorageNode> out = new ArrayList<>();
    for (int i = 1; i <= storage.nodes(); i++) {
      String id = StorageNode.idOf(config.nodeId(), i, storage.nodes());
      out.add(new StorageNode(id, new LocalBlobStore(config.dataDir().resolve("blobs").resolve(id),
          storage.smallBlobBytes(), new VolumeSet.Options(storage.volumeBytes(), storage.compactDeadPercent() / 100.0)),
          new RateLimit(storage.scrubBytesPerSecond()), System.nanoTime()));
    }
    return out;
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    // the volumes finish their queued writes and write their indexes (blocking: on a worker)
    return closed.eventually(() -> vertx.executeBlocking(() -> {
      nodes.forEach(n -> n.disk().close());
      return null;
    }));
  }

  private Future<Void> heartbeat(StorageNode node) {
    return tasks.pending(node.id())
        .compose(pending -> vertx.executeBlocking(() ->
            node.describe(config.nodeId(), config.site(), url, storage, pending, System.nanoTime())))
        .compose(load -> vertx.eventBus().request(Addresses.STORAGE_HEARTBEAT, load,
            new DeliveryOptions().setSendTimeout(Math.max(1000, storage.heartbeatMs()))))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.debug("heartbeat not taken [node: {}, cause: {}]", node.id(), e.getMessage()));
  }
}
