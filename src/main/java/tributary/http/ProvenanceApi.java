package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import tributary.archive.RecordArchive;
import tributary.auth.Principal;
import tributary.bus.StoredRecord;
import tributary.fault.Refusal;
import tributary.storage.BlobCatalog;
import tributary.storage.TaskStore;
import tributary.store.RecordStore;

/**
 * {@code GET /v1/provenance/{id}} (S8): the lineage of a blob or a record. For a blob: its origin,
 * the blobs it was made from and those made from it, the tasks run on it, and every copy with its
 * node, checksums, state and last verification. For a record: its edge and site, times, gateway,
 * core node, processing, the results that name it, and every stored copy.
 */
public final class ProvenanceApi implements HttpEndpoint {
  private static final int MAX_ANCESTORS = 16;

  private final BlobCatalog catalog;
  private final TaskStore tasks;
  private final RecordStore records;
  private final RecordArchive archive;
  private final Rights rights;

  public ProvenanceApi(Pool pool, RecordArchive archive, Rights rights) {
    this.catalog = new BlobCatalog(pool);
    this.tasks = new TaskStore(pool);
    this.records = new RecordStore(pool);
    this.archive = archive;
    this.rights = rights;
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/provenance/:id").handler(this::provenance);
  }

  private void provenance(RoutingContext rc) {
    String id = rc.pathParam("id");
    Principal who = AuthHandler.principal(rc);
    catalog.blob(id).compose(blob -> {
      if (blob != null) {
        return Rights.useBlob(blob, who).compose(this::ofBlob);
      }
      return records.lineage(id).compose(lineage -> {
        if (lineage == null) {
          return Future.failedFuture(Refusal.notFound("no blob or record '" + id + "'"));
        }
        return rights.readRecord(lineage.record(), who)
            .compose(v -> archive.placement(id)).map(copies -> ofRecord(lineage, copies));
      });
    }).onSuccess(body -> Replies.json(rc, 200, body)).onFailure(rc::fail);
  }

  private Future<JsonObject> ofBlob(BlobCatalog.Blob blob) {
    return Future.all(ancestors(blob, new ArrayList<>()), catalog.derivedFrom(blob.blobId()),
            catalog.copies(blob.blobId()), tasks.list(null, blob.blobId(), null, 100))
        .map(all -> new JsonObject()
            .put("kind", "blob")
            .put("id", blob.blobId())
            .put("origin", new JsonObject().put("node", blob.originNode()).put("site", blob.originSite())
                .put("owner", blob.owner()).put("createdAt", blob.createdAt()))
            .put("blob", blob.toJson())
            .put("derivedFrom", new JsonArray(all.<List<BlobCatalog.Blob>>resultAt(0).stream()
                .map(BlobCatalog.Blob::toJson).toList()))
            .put("derived", new JsonArray(all.<List<BlobCatalog.Blob>>resultAt(1).stream()
                .map(BlobCatalog.Blob::toJson).toList()))
            .put("copies", BlobReads.copiesJson(all.resultAt(2)))
            .put("tasks", new JsonArray(all.<List<JsonObject>>resultAt(3))));
  }

  /** The chain of blobs this one was made from, nearest first. */
  private Future<List<BlobCatalog.Blob>> ancestors(BlobCatalog.Blob blob, List<BlobCatalog.Blob> found) {
    if (blob.sourceBlob() == null || found.size() >= MAX_ANCESTORS) {
      return Future.succeededFuture(found);
    }
    return catalog.blob(blob.sourceBlob()).compose(source -> {
      if (source == null) {
        return Future.succeededFuture(found);
      }
      found.add(source);
      return ancestors(source, found);
    });
  }

  private static JsonObject ofRecord(RecordStore.Lineage lineage, List<RecordArchive.Copy> copies) {
    StoredRecord record = lineage.record();
    JsonArray steps = new JsonArray()
        .add(new JsonObject().put("step", "produced").put("at", record.producedAt()).put("node", record.edge()))
        .add(new JsonObject().put("step", "forwarded").put("node", lineage.gateway()))
        .add(new JsonObject().put("step", "committed").put("at", record.committedAt())
            .put("node", lineage.coreNode()).put("channel", record.channel()).put("cursor", record.cursor()));
    return new JsonObject()
        .put("kind", "record")
        .put("id", record.id())
        .put("origin", new JsonObject().put("edge", record.edge()).put("site", lineage.edgeSite())
            .put("sender", record.sender()).put("producedAt", record.producedAt()))
        .put("gateway", lineage.gateway())
        .put("coreNode", lineage.coreNode())
        .put("record", record.toJsonValue())
        .put("steps", steps)
        .put("results", new JsonArray(lineage.results().stream().map(StoredRecord::toJsonValue).toList()))
        .put("copies", new JsonArray(copies.stream().map(RecordArchive.Copy::toJson).toList()));
  }

}
