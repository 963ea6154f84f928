package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import tributary.archive.RecordArchive;
import tributary.fault.Refusal;
import tributary.store.RecordStore;

/** {@code GET /v1/records/{id}/placement}: where a record's copies are, for those who may read it (X3). */
public final class RecordsApi implements HttpEndpoint {
  private final RecordStore records;
  private final RecordArchive archive;
  private final Rights rights;

  public RecordsApi(RecordStore records, RecordArchive archive, Rights rights) {
    this.records = records;
    this.archive = archive;
    this.rights = rights;
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/records/:id/placement").handler(this::placement);
  }

  private void placement(RoutingContext rc) {
    String id = rc.pathParam("id");
    Future<java.util.List<RecordArchive.Copy>> copies = records.byId(id)
        .compose(record -> record == null ? Future.failedFuture(Refusal.notFound("no record '" + id + "'"))
            : rights.readRecord(record, AuthHandler.principal(rc)))
        .compose(v -> archive.placement(id));
    Guarded.then(rc, copies, list -> {
      if (list == null) {
        rc.fail(Refusal.notFound("no record '" + id + "'"));
        return;
      }
      json(rc, 200, new JsonObject().put("recordId", id)
          .put("copies", new JsonArray(list.stream().map(RecordArchive.Copy::toJson).toList())));
    });
  }
}
