package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import tributary.auth.UserStore;
import tributary.export.Sink;
import tributary.export.SinkStore;
import tributary.fault.Refusal;

/** Export sinks (administrators only): create, list, delete, and their dead letters, which can be replayed. */
public final class SinksApi implements HttpEndpoint {
  private final SinkStore sinks;

  public SinksApi(SinkStore sinks) {
    this.sinks = sinks;
  }

  @Override
  public void addRoutes(Router router) {
    router.post("/v1/sinks").handler(AuthHandler::requireAdmin).handler(this::create);
    router.get("/v1/sinks").handler(AuthHandler::requireAdmin).handler(this::list);
    router.delete("/v1/sinks/:sinkId").handler(AuthHandler::requireAdmin).handler(this::delete);
    router.get("/v1/sinks/:sinkId/dead-letters").handler(AuthHandler::requireAdmin).handler(this::deadLetters);
    router.post("/v1/sinks/:sinkId/dead-letters/replay").handler(AuthHandler::requireAdmin).handler(this::replay);
  }

  private void create(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    for (String field : List.of("url", "channel", "dataType", "include")) {
      Params.string(body, field, null);
    }
    String sinkId = Params.string(body, "sinkId", "sink-" + UUID.randomUUID().toString().substring(0, 8));
    Sink sink;
    try {
      sink = Sink.fromJson(Params.name(sinkId, "sinkId"), body);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest(e.getMessage());
    }
    Guarded.then(rc, sinks.create(sink, System.currentTimeMillis()).recover(e -> Future.failedFuture(
        e instanceof UserStore.DuplicateException ? new Refusal(409, "conflict", e.getMessage()) : e)),
        v -> json(rc, 201, sink.toJson()));
  }

  private void list(RoutingContext rc) {
    Guarded.then(rc, sinks.all(), list ->
        json(rc, 200, new JsonObject().put("sinks", new JsonArray(list.stream().map(Sink::toJson).toList()))));
  }

  private void delete(RoutingContext rc) {
    String sinkId = Params.pathName(rc, "sinkId", "sinkId");
    Guarded.then(rc, sinks.delete(sinkId), found -> {
      if (!found) {
        rc.fail(Refusal.notFound("no sink '" + sinkId + "'"));
        return;
      }
      rc.response().setStatusCode(204).end();
    });
  }

  private void deadLetters(RoutingContext rc) {
    String sinkId = Params.pathName(rc, "sinkId", "sinkId");
    int limit = ChannelReads.limit(rc);
    Guarded.then(rc, sinks.deadLetters(sinkId, limit), list ->
        json(rc, 200, new JsonObject().put("sinkId", sinkId).put("deadLetters", new JsonArray(list))));
  }

  private void replay(RoutingContext rc) {
    String sinkId = Params.pathName(rc, "sinkId", "sinkId");
    Guarded.then(rc, sinks.replay(sinkId, System.currentTimeMillis()), n ->
        json(rc, 200, new JsonObject().put("sinkId", sinkId).put("replayed", n)));
  }
}
