package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tributary.auth.Principal;
import tributary.bus.Addresses;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.fault.Refusal;
import tributary.placement.FirstCopyChooser;
import tributary.placement.Placement;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.LiveStores;
import tributary.storage.TaskKind;
import tributary.storage.TaskStore;
import tributary.storage.tasks.Transcoder;

/**
 * Task plans on blobs (S6, S7): delete (recycle every copy, the blob hidden at once), planned
 * mirror, protect, compress, transcode and recycle tasks, and the list of plans a caller may see.
 * Each plan's items go to the storage nodes that run them, which are told at once.
 */
final class BlobTasks {
  /** The longest watermark text: one line across a page or a frame. */
  private static final int MAX_WATERMARK = 200;
  /** ffmpeg's targets, and pdf for office documents through LibreOffice. */
  private static final java.util.SortedSet<String> TRANSCODE_FORMATS = new java.util.TreeSet<>(
      java.util.stream.Stream.concat(Transcoder.formats().stream(), java.util.stream.Stream.of("pdf")).toList());
  private final Vertx vertx;
  private final Pool pool;
  private final NodeConfig config;
  private final BlobCatalog catalog;
  private final TaskStore tasks;
  private final BlobReads reads;
  private final FirstCopyChooser chooser;
  private final LiveStores live;
  private final Random random = new Random();

  BlobTasks(Vertx vertx, Pool pool, NodeConfig config, BlobCatalog catalog, TaskStore tasks, BlobReads reads,
      FirstCopyChooser chooser, LiveStores live) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.catalog = catalog;
    this.tasks = tasks;
    this.reads = reads;
    this.chooser = chooser;
    this.live = live;
  }

  /** {@code GET /v1/tasks[?kind=&blob=&limit=]}: the plans of the caller's blobs (all, for administrators). */
  void list(RoutingContext rc) {
    String kind = rc.queryParams().get("kind");
    if (kind != null && TaskKind.parse(kind) == null) {
      rc.fail(Refusal.badRequest("kind must be one of mirror, protect, compress, transcode, recycle"));
      return;
    }
    String blobId = rc.queryParams().get("blob");
    int limit = Params.integer(rc, "limit", 100, 1, 1000);
    Principal who = AuthHandler.principal(rc);
    Future<Void> allowed = blobId == null ? Future.succeededFuture() : catalog.blob(blobId).compose(b -> b == null
        ? Future.failedFuture(Refusal.notFound("no blob '" + blobId + "'")) : Rights.useBlob(b, who).mapEmpty());
    allowed.compose(v -> tasks.list(kind, blobId, Rights.ownFilter(who), limit))
        .onSuccess(list -> json(rc, 200, new JsonObject().put("plans", new JsonArray(list)))).onFailure(rc::fail);
  }

  void delete(RoutingContext rc) {
    reads.readable(rc).onSuccess(blob -> catalog.copies(blob.blobId()).compose(copies -> {
      List<TaskStore.Planned> items = recycleItems(blob, copies);
      return recycle(blob, items, "recycle-" + Ids.newId(), new JsonObject().put("reason", "delete"),
          AuthHandler.principal(rc).id(), TaskStore.Window.OPEN).onSuccess(v -> notify(items));
    }).onSuccess(v -> rc.response().setStatusCode(204).end()).onFailure(rc::fail));
  }

  /** A recycle item for every copy of the blob not already gone. */
  private static List<TaskStore.Planned> recycleItems(BlobCatalog.Blob blob, List<BlobCatalog.Copy> copies) {
    return copies.stream().filter(c -> !BlobCatalog.DELETED.equals(c.state()))
        .map(c -> new TaskStore.Planned(TaskKind.RECYCLE, blob.blobId(), c.storeId(), null, 0)).toList();
  }

  /** Hides the blob at once and plans the collection of its copies, in one transaction. */
  private Future<Void> recycle(BlobCatalog.Blob blob, List<TaskStore.Planned> items, String planId, JsonObject params,
                               String who, TaskStore.Window window) {
    long now = System.currentTimeMillis();
    return pool.withTransaction(tx -> catalog.markDeleted(tx, blob.blobId(), now)
        .compose(v -> TaskStore.plan(tx, planId, TaskKind.RECYCLE, blob.blobId(), params, who, now, window, items)));
  }

  /**
   * The plan's optional execution window (S7): {@code notBefore} and {@code notAfter}, epoch
   * milliseconds; {@code notAfter} must lie ahead and after {@code notBefore}.
   */
  static TaskStore.Window window(JsonObject body, long now) {
    Long notBefore = body.getValue("notBefore") == null ? null : Params.number(body, "notBefore", 0, Long.MAX_VALUE);
    Long notAfter = body.getValue("notAfter") == null ? null : Params.number(body, "notAfter", 0, Long.MAX_VALUE);
    if (notAfter != null && notAfter <= now) {
      throw Refusal.badRequest("notAfter must lie ahead (epoch milliseconds after now, " + now + ")");
    }
    if (notBefore != null && notAfter != null && notAfter <= notBefore) {
      throw Refusal.badRequest("notAfter must come after notBefore");
    }
    return new TaskStore.Window(notBefore, notAfter);
  }

  private void notify(List<TaskStore.Planned> items) {
    items.stream().map(TaskStore.Planned::runOn).distinct()
        .forEach(id -> vertx.eventBus().publish(Addresses.storageTasks(id), null));
  }

  /**
   * {@code POST /v1/tasks {"kind", "blob", "params", "notBefore", "notAfter"}}: plans a task on a
   * blob (S6, S7), to run within the window if one is given.
   */
  void create(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    TaskStore.Window window = window(body, System.currentTimeMillis());
    TaskKind kind = TaskKind.parse(Params.string(body, "kind", ""));
    String blobId = Params.string(body, "blob", null);
    if (kind == null || blobId == null) {
      throw Refusal.badRequest("needs \"kind\" (mirror, protect, compress, transcode, recycle) and \"blob\"");
    }
    JsonObject params = Params.object(body, "params", new JsonObject());
    if (kind == TaskKind.PROTECT && !List.of("watermark", "timestamp").contains(Params.string(params, "mode", ""))) {
      throw Refusal.badRequest("protect needs params.mode: watermark or timestamp");
    }
    String text = Params.string(params, "text", "protected");
    if (kind == TaskKind.PROTECT && (text.isBlank() || text.length() > MAX_WATERMARK)) {
      throw Refusal.badRequest("params.text (the watermark) must be 1 to " + MAX_WATERMARK + " characters");
    }
    if (kind == TaskKind.TRANSCODE && !TRANSCODE_FORMATS.contains(Params.string(params, "format", "")
        .toLowerCase(java.util.Locale.ROOT))) {
      throw Refusal.badRequest("transcode needs params.format: one of " + TRANSCODE_FORMATS);
    }
    List<String> wanted = kind == TaskKind.MIRROR ? Params.stringList(params, "targets") : List.of();
    rc.pathParams().put("id", blobId);
    reads.readable(rc).onSuccess(blob -> catalog.copies(blob.blobId()).compose(copies -> {
      List<BlobCatalog.Copy> healthy = copies.stream().filter(BlobCatalog.Copy::readable).toList();
      List<TaskStore.Planned> items = new ArrayList<>();
      switch (kind) {
        case MIRROR -> {
          List<StoreLoad> holders = healthy.stream().map(BlobCatalog.Copy::store).toList();
          for (StoreLoad t : new Placement(random, config.storage().room()).choose(wanted, live.current(), holders,
              wanted.isEmpty() ? 1 : wanted.size(), blob.size())) {
            items.add(new TaskStore.Planned(kind, blob.blobId(), t.storeId(),
                healthy.isEmpty() ? null : healthy.get(0).storeId(), blob.size()));
          }
        }
        case RECYCLE -> items.addAll(recycleItems(blob, copies));
        default -> chooser.rank(healthy.stream().map(BlobCatalog.Copy::store).toList()).stream().findFirst()
            .ifPresent(s -> items.add(new TaskStore.Planned(kind, blob.blobId(), s.storeId(), null, blob.size())));
      }
      if (items.isEmpty()) {
        return Future.failedFuture(new Refusal(409, "no_node", "no live storage node can run this task now"));
      }
      String planId = kind.id() + "-" + Ids.newId();
      String who = AuthHandler.principal(rc).id();
      Future<Void> planned = kind == TaskKind.RECYCLE ? recycle(blob, items, planId, params, who, window)
          : tasks.plan(planId, kind, blob.blobId(), params, who, System.currentTimeMillis(), window, items);
      return planned.compose(v -> {
        notify(items);
        return tasks.list(kind.id(), blob.blobId(), null, 1000);
      }).map(plans -> plans.stream().filter(p -> planId.equals(p.getString("id"))).findFirst().orElseThrow());
    }).onSuccess(plan -> json(rc, 202, plan)).onFailure(rc::fail));
  }
}
