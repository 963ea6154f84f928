package tributary.status;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tributary.bus.NodeStatus;

/** The nodes' status reports kept by management (D8): a bounded time series per node. */
public final class NodeStatusStore {
  private final Pool pool;

  public NodeStatusStore(Pool pool) {
    this.pool = pool;
  }

  /** Keeps a report and drops the node's reports made before {@code cutoff}, in one statement. */
  public Future<Void> record(NodeStatus status, long cutoff) {
    return pool.preparedQuery("WITH pruned AS (DELETE FROM node_status WHERE node_id = $1 AND at < $4) "
            + "INSERT INTO node_status (node_id, at, figures) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(status.nodeId(), status.at(), JsonObject.mapFrom(status), cutoff))
        .mapEmpty();
  }

  /** Drops every node's reports made before {@code cutoff}, those of nodes that stopped reporting too. */
  public Future<Integer> sweep(long cutoff) {
    return pool.preparedQuery("DELETE FROM node_status WHERE at < $1").execute(Tuple.of(cutoff))
        .map(rows -> rows.rowCount());
  }

  /** Each node's latest report, by node id. */
  public Future<Map<String, JsonObject>> latest() {
    return pool.query("SELECT DISTINCT ON (node_id) node_id, figures FROM node_status ORDER BY node_id, at DESC")
        .execute()
        .map(rows -> {
          Map<String, JsonObject> out = new LinkedHashMap<>();
          for (Row row : rows) {
            out.put(row.getString(0), figures(row, 1));
          }
          return out;
        });
  }

  /** The node's reports made at or after {@code from}, oldest first: the newest {@code limit} of them. */
  public Future<List<JsonObject>> series(String nodeId, long from, int limit) {
    return pool.preparedQuery("SELECT figures FROM (SELECT at, figures FROM node_status WHERE node_id = $1 "
            + "AND at >= $2 ORDER BY at DESC LIMIT $3) newest ORDER BY at")
        .execute(Tuple.of(nodeId, from, limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(figures(row, 0));
          }
          return out;
        });
  }

  private static JsonObject figures(Row row, int column) {
    Object value = row.getValue(column);
    return value instanceof JsonObject json ? json : new JsonObject(String.valueOf(value));
  }
}
