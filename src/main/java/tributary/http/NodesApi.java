package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import tributary.bus.Addresses;
import tributary.bus.IdempotentRequest;
import tributary.bus.CommandNotice;
import tributary.bus.NodeDirectory;
import tributary.bus.NodeQuery;
import tributary.command.NodeCommand;
import tributary.command.NodeCommandStore;
import tributary.config.NodeConfig;
import tributary.fault.Refusal;
import tributary.status.NodeStatusStore;
import tributary.status.StatusSeries;
import tributary.store.NodeStore;

/**
 * The nodes (E1, D8, D9): {@code GET /v1/nodes} with each node's latest status,
 * {@code GET /v1/nodes/{id}/status?since=MS} its status series, and, for administrators,
 * {@code POST /v1/nodes/{id}/commands} to issue a command and {@code GET /v1/nodes/{id}/commands}
 * to see them, newest first.
 */
public final class NodesApi implements HttpEndpoint {
  static final int DEFAULT_COMMANDS = 50;
  static final int MAX_COMMANDS = 500;

  private final Vertx vertx;
  private final NodeStore nodes;
  private final NodeStatusStore statuses;
  private final NodeCommandStore commands;
  private final long retentionMs;

  public NodesApi(Vertx vertx, Pool pool, NodeConfig config) {
    this.vertx = vertx;
    this.nodes = new NodeStore(pool);
    this.statuses = new NodeStatusStore(pool);
    this.commands = new NodeCommandStore(pool);
    this.retentionMs = config.status().retentionMs();
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/nodes").handler(this::list);
    router.get("/v1/nodes/:nodeId/status").handler(this::status);
    router.post("/v1/nodes/:nodeId/commands").handler(AuthHandler::requireAdmin).handler(this::issue);
    router.get("/v1/nodes/:nodeId/commands").handler(AuthHandler::requireAdmin).handler(this::commands);
  }

  /** Every registered node, as management knows it, with its latest status report (null before the first). */
  private void list(RoutingContext rc) {
    String role = rc.queryParams().get("role");
    Future<NodeDirectory> directory = IdempotentRequest.<NodeDirectory>send(vertx.eventBus(),
        Addresses.MANAGEMENT_NODES, new NodeQuery(role)).map(reply -> reply.body());
    Future.all(directory, statuses.latest()).onSuccess(all -> {
      Map<String, JsonObject> latest = all.resultAt(1);
      JsonArray out = new JsonArray();
      for (NodeDirectory.Node node : all.<NodeDirectory>resultAt(0).nodes()) {
        out.add(JsonObject.mapFrom(node).put("status", latest.get(node.nodeId())));
      }
      Replies.json(rc, 200, new JsonObject().put("nodes", out));
    }).onFailure(rc::fail);
  }

  /** The node's status reports since {@code since} (epoch ms; default: all that are kept), oldest first. */
  private void status(RoutingContext rc) {
    String nodeId = Params.pathName(rc, "nodeId", "node id");
    long since = Params.cursor(rc, "since", 0);
    int limit = Params.integer(rc, "limit", StatusSeries.MAX_POINTS, 1, StatusSeries.MAX_POINTS);
    long from = StatusSeries.from(since, System.currentTimeMillis(), retentionMs);
    known(nodeId).compose(v -> statuses.series(nodeId, from, limit))
        .onSuccess(series -> Replies.json(rc, 200, new JsonObject().put("nodeId", nodeId).put("since", from)
            .put("status", new JsonArray(series))))
        .onFailure(rc::fail);
  }

  /** {@code {"command": ..., "args": {...}}}: 201 with the queued command; the node is told at once. */
  private void issue(RoutingContext rc) {
    String nodeId = Params.pathName(rc, "nodeId", "node id");
    NodeCommand command;
    try {
      command = NodeCommand.parse(Params.jsonObject(rc));
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest(e.getMessage());
    }
    String issuer = AuthHandler.principal(rc).id();
    known(nodeId).compose(v -> commands.issue(nodeId, command, issuer, System.currentTimeMillis()))
        .onSuccess(issued -> {
          vertx.eventBus().publish(Addresses.nodeCommands(nodeId), new CommandNotice(issued.id()));
          Replies.json(rc, 201, issued.toJson());
        })
        .onFailure(rc::fail);
  }

  /** The node's commands, newest first; {@code next} is the {@code before} of the next page, null at the end. */
  private void commands(RoutingContext rc) {
    String nodeId = Params.pathName(rc, "nodeId", "node id");
    long before = Params.cursor(rc, "before", Long.MAX_VALUE);
    int limit = Params.integer(rc, "limit", DEFAULT_COMMANDS, 1, MAX_COMMANDS);
    known(nodeId).compose(v -> commands.list(nodeId, before, limit)).onSuccess(list -> {
      Object next = list.size() < limit ? null : list.get(list.size() - 1).id();
      Replies.json(rc, 200, new JsonObject().put("nodeId", nodeId)
          .put("commands", new JsonArray(list.stream().map(NodeCommandStore.Command::toJson).toList()))
          .put("next", next));
    }).onFailure(rc::fail);
  }

  private Future<Void> known(String nodeId) {
    return nodes.exists(nodeId).compose(exists -> exists ? Future.succeededFuture()
        : Future.failedFuture(Refusal.notFound("no node '" + nodeId + "'")));
  }
}
