package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tributary.fault.Refusal;
import tributary.storage.PlanExchange;
import tributary.storage.PlanFile;
import tributary.storage.StorageClient;

/**
 * The storage nodes' plan files over HTTP (S7, the seed's file dispatch): {@code GET
 * /v1/storage/nodes/{id}/plan.xml} hands out the node's items that may run now as an XML file
 * ({@value PlanFile#SCHEMA}), and {@code PUT} of the same path takes it back marked, applied whole
 * or not at all. For administrators and for the cluster's own storage nodes, which present the
 * cluster's transfer secret ({@value StorageClient#SECRET_HEADER}) as they do between themselves.
 */
final class NodePlans {
  static final String PATH = "/v1/storage/nodes/:id/plan.xml";
  private static final int DEFAULT_ITEMS = 100;
  private static final int MAX_ITEMS = 1000;

  private final StorageClient client;
  private final PlanExchange exchange;

  NodePlans(StorageClient client, PlanExchange exchange) {
    this.client = client;
    this.exchange = exchange;
  }

  /**
   * Runs before the bearer check: a request carrying the cluster's transfer secret is a storage
   * node's (a wrong one is refused); any other goes on to the bearer check.
   */
  void clusterMember(RoutingContext rc) {
    String presented = rc.request().getHeader(StorageClient.SECRET_HEADER);
    if (presented == null) {
      rc.next();
    } else if (client.admits(presented)) {
      rc.put(AuthHandler.CLUSTER_MEMBER, true);
      rc.next();
    } else {
      rc.fail(new Refusal(401, "unauthorized", "the cluster credential (" + StorageClient.SECRET_HEADER
          + ") is not valid"));
    }
  }

  /** {@code GET /v1/storage/nodes/{id}/plan.xml[?limit=]}. */
  void download(RoutingContext rc) {
    Rights.nodePlans(AuthHandler.principal(rc), AuthHandler.clusterMember(rc));
    String node = Params.pathName(rc, "id", "the storage node id");
    int limit = Params.integer(rc, "limit", DEFAULT_ITEMS, 1, MAX_ITEMS);
    exchange.download(node, limit, System.currentTimeMillis())
        .onSuccess(xml -> rc.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(xml))
        .onFailure(rc::fail);
  }

  /** {@code PUT /v1/storage/nodes/{id}/plan.xml}: the marked file; 200 with how many items changed. */
  void upload(RoutingContext rc) {
    Rights.nodePlans(AuthHandler.principal(rc), AuthHandler.clusterMember(rc));
    String node = Params.pathName(rc, "id", "the storage node id");
    String xml = rc.body() == null ? null : rc.body().asString();
    if (xml == null || xml.isBlank()) {
      throw new Refusal(400, PlanFile.INVALID, "the body must be the node's marked plan file (XML)");
    }
    exchange.upload(node, xml, System.currentTimeMillis())
        .onSuccess(applied -> json(rc, 200, new JsonObject().put("node", node).put("changed", applied.changed())
            .put("failed", applied.failed())))
        .onFailure(rc::fail);
  }
}
