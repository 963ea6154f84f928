package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicReference;
import tributary.config.NodeConfig;
import tributary.placement.FirstCopyChooser;
import tributary.placement.LoadScore;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobReader;
import tributary.storage.BlobRecorder;
import tributary.storage.LiveStores;
import tributary.storage.PlanExchange;
import tributary.storage.RepairQueries;
import tributary.storage.StorageClient;
import tributary.storage.StorageNodes;
import tributary.storage.TaskRunner;
import tributary.storage.TaskStore;

/**
 * The storage API of the HTTP face (S2, S5, S7): streamed uploads acknowledged once two copies
 * are durable ({@link BlobUploads}), downloads with ranges from any healthy copy
 * ({@link BlobReads}), delete and task plans ({@link BlobTasks}), timestamp verification
 * ({@link SealCheck}) and storage health.
 */
public final class BlobApi implements HttpEndpoint {
  private static final long LIVE_REFRESH_MS = 500;

  private final StorageNodes nodes;
  private final RepairQueries repair;
  private final LiveStores live;
  private final BlobUploads uploads;
  private final BlobReads reads;
  private final BlobTasks tasks;
  private final SealCheck seals;
  private final NodePlans plans;
  private final LoadScore score;

  private BlobApi(Vertx vertx, Pool pool, NodeConfig config, StorageClient client,
      AtomicReference<LiveStores.Snapshot> liveSnapshot, BlobRecorder.Shared records) {
    BlobCatalog catalog = new BlobCatalog(pool);
    FirstCopyChooser chooser = new FirstCopyChooser(config.storage().loadScore(), config.storage().room());
    this.nodes = new StorageNodes(pool);
    this.repair = new RepairQueries(pool);
    this.live = new LiveStores(nodes, liveSnapshot);
    this.reads = new BlobReads(catalog, new BlobReader(client), chooser);
    this.uploads = new BlobUploads(config, client, new BlobRecorder(vertx, pool, config.storage().room(), records), chooser,
        live);
    this.tasks = new BlobTasks(vertx, pool, config, catalog, new TaskStore(pool), reads, chooser, live);
    this.seals = new SealCheck(pool, catalog, reads);
    this.plans = new NodePlans(client, new PlanExchange(vertx, new TaskStore(pool)));
    this.score = config.storage().loadScore();
  }

  /**
   * The blob routes; {@code liveSnapshot} is the node's shared look-up of live storage nodes
   * ({@link LiveStores}), {@code records} its shared group of new blobs' catalog rows.
   */
  public static Future<BlobApi> create(Vertx vertx, Pool pool, NodeConfig config,
      AtomicReference<LiveStores.Snapshot> liveSnapshot, BlobRecorder.Shared records) {
    return StorageClient.create(vertx, pool, config).compose(client -> {
      BlobApi api = new BlobApi(vertx, pool, config, client, liveSnapshot, records);
      vertx.setPeriodic(LIVE_REFRESH_MS, t -> api.live.refresh());
      // the seal key is made at the cluster's first start, like its certificate
      return TaskRunner.sealKey(pool).compose(key -> api.live.refresh()).map(api);
    });
  }

  /** True for requests whose body this API streams itself (no body handler may read it first). */
  public static boolean streamsBody(RoutingContext rc) {
    String path = rc.normalizedPath();
    return (path.equals("/v1/blobs") || path.equals("/v1/blobs/")) && rc.request().method() == HttpMethod.PUT;
  }

  @Override
  public void addRoutes(Router router) {
    router.put("/v1/blobs").handler(uploads::upload);
    router.get("/v1/blobs/:id/verify").handler(seals::verify);
    router.get("/v1/blobs/:id/meta").handler(reads::meta);
    router.head("/v1/blobs/:id").handler(reads::download);
    router.get("/v1/blobs/:id").handler(reads::download);
    router.delete("/v1/blobs/:id").handler(tasks::delete);
    router.post("/v1/tasks").handler(tasks::create);
    router.get("/v1/tasks").handler(tasks::list);
    router.get("/v1/storage/health").handler(this::health);
    router.get("/v1/storage/nodes").handler(this::storageNodes);
    router.get("/v1/storage/seal-key").handler(seals::sealKey);
    router.get(NodePlans.PATH).handler(plans::download);
    router.put(NodePlans.PATH).handler(plans::upload);
  }

  /**
   * Mounted before the bearer check on the plan file routes: lets the cluster's storage nodes in
   * by the cluster's transfer secret (S7).
   */
  public void mountClusterMembers(Router router) {
    router.route(NodePlans.PATH).handler(plans::clusterMember);
  }

  /** S4: how many blobs have all their copies, are being repaired, or have none readable. */
  private void health(RoutingContext rc) {
    repair.health().onSuccess(h -> json(rc, 200, h)).onFailure(rc::fail);
  }

  /** The storage nodes with their load and state. */
  private void storageNodes(RoutingContext rc) {
    nodes.stores(score).onSuccess(s -> json(rc, 200, new JsonObject().put("nodes", new JsonArray(s)))).onFailure(rc::fail);
  }
}
