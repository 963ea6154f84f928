package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import tributary.auth.Principal;
import tributary.auth.UserStore;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.GrantChange;
import tributary.bus.ProcessorConfigChange;
import tributary.bus.UserCreate;
import tributary.bus.UserCreated;
import tributary.dispatch.Bindings;
import tributary.fault.Refusal;
import tributary.ingest.RecordParser;
import tributary.processing.ProcessorConfigStore;
import tributary.store.NodeStore;

/**
 * Administration: creating users (bound at once to a dispatch worker, D1), an edge node's grant
 * (which data types it may send, at which default priority) and the processors of each data type.
 * Changes go to management over the bus; the processor list is read from its store.
 */
public final class AdminApi implements HttpEndpoint {
  private final Vertx vertx;
  private final ProcessorConfigStore processors;
  private final UserStore users;
  private final NodeStore nodes;

  public AdminApi(Vertx vertx, ProcessorConfigStore processors, UserStore users, NodeStore nodes) {
    this.vertx = vertx;
    this.processors = processors;
    this.users = users;
    this.nodes = nodes;
  }

  @Override
  public void addRoutes(Router router) {
    router.post("/v1/users").handler(AuthHandler::requireAdmin).handler(this::createUser);
    router.get("/v1/users").handler(AuthHandler::requireAdmin).handler(rc -> Guarded.then(rc, users.list(),
        list -> json(rc, 200, new JsonObject().put("users", new JsonArray(list)))));
    router.put("/v1/nodes/:nodeId/grant").handler(AuthHandler::requireAdmin).handler(this::setGrant);
    router.get("/v1/nodes/:nodeId/grant").handler(AuthHandler::requireAdmin).handler(this::showGrant);
    router.get("/v1/processors").handler(this::listProcessors);
    router.put("/v1/processors/:dataType").handler(AuthHandler::requireAdmin).handler(this::setProcessors);
    router.delete("/v1/processors/:dataType").handler(AuthHandler::requireAdmin).handler(this::setProcessors);
  }

  private void createUser(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    String userId = Params.string(body, "userId", null);
    String kind = Params.string(body, "kind", Principal.Kind.USER.id());
    if (!RecordParser.validName(userId)) {
      throw Refusal.badRequest("userId must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    // D1: a new user is bound to the least-loaded live dispatch worker, if one runs (else at its first send).
    Guarded.then(rc, vertx.eventBus().<UserCreated>request(Addresses.MANAGEMENT_USERS_CREATE, new UserCreate(userId, kind))
        .compose(created -> Bindings.leastLoaded(vertx.eventBus(), userId).otherwise((Integer) null)
            .map(worker -> JsonObject.mapFrom(created.body()).put("worker", worker))),
        answer -> json(rc, 201, answer));
  }

  private void setGrant(RoutingContext rc) {
    String nodeId = Params.pathName(rc, "nodeId", "node id");
    JsonObject body = Params.jsonObject(rc);
    EdgeGrant grant = new EdgeGrant(Params.nameList(body, "permittedTypes", "data type names ([] = any)"),
        (int) Params.number(body, "defaultPriority", 5, 0, 9), Envelope.PROTOCOL_VERSION, 0,
        Params.httpUrl(body, "resultHook"));
    Guarded.then(rc, vertx.eventBus().<EdgeGrant>request(Addresses.MANAGEMENT_GRANTS, new GrantChange(nodeId, grant)),
        reply -> json(rc, 200, JsonObject.mapFrom(reply.body()).put("nodeId", nodeId)));
  }

  /** The edge's grant as stored; {@code "set": false} with the default when no administrator set one. */
  private void showGrant(RoutingContext rc) {
    String nodeId = Params.pathName(rc, "nodeId", "node id");
    Guarded.then(rc, nodes.grant(nodeId, EdgeGrant.DEFAULT), grant -> json(rc, 200, JsonObject.mapFrom(grant)
        .put("nodeId", nodeId).put("set", grant.revision() != 0)));
  }

  private void listProcessors(RoutingContext rc) {
    Guarded.then(rc, processors.all(), all -> {
      JsonObject out = new JsonObject();
      all.forEach(out::put);
      json(rc, 200, new JsonObject().put("processors", out));
    });
  }

  private void setProcessors(RoutingContext rc) {
    String dataType = Params.pathName(rc, "dataType", "data type");
    String config = rc.request().method() == HttpMethod.DELETE ? null : Params.jsonObject(rc).encode();
    Guarded.then(rc, vertx.eventBus().<ProcessorConfigChange>request(Addresses.MANAGEMENT_PROCESSORS,
        new ProcessorConfigChange(dataType, config)), reply -> {
          if (config == null) {
            rc.response().setStatusCode(204).end();
          } else {
            json(rc, 200, new JsonObject().put("dataType", dataType).put("config", new JsonObject(config)));
          }
        });
  }
}
