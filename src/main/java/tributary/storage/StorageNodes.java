package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tributary.placement.ClusterLoad;
import tributary.placement.LoadScore;
import tributary.placement.StoreLoad;
import tributary.store.Pg;

/** The storage nodes as their heartbeats last described them (S2, S4): up or down, load and free space. */
public final class StorageNodes {
  private final Pool pool;

  public StorageNodes(Pool pool) {
    this.pool = pool;
  }

  /** Records a heartbeat; a node that was down is up again, and the answer says so. */
  public Future<Boolean> heartbeat(StoreLoad s, long now) {
    return pool.preparedQuery("WITH before AS (SELECT state FROM storage_nodes WHERE store_id = $1) "
            + "INSERT INTO storage_nodes (store_id, host_node, site, url, state, load, free_bytes, "
            + "last_seen_at) VALUES ($1, $2, $3, $4, 'up', $5, $6, $7) ON CONFLICT (store_id) DO UPDATE SET "
            + "host_node = EXCLUDED.host_node, site = EXCLUDED.site, url = EXCLUDED.url, state = 'up', "
            + "load = EXCLUDED.load, free_bytes = EXCLUDED.free_bytes, last_seen_at = EXCLUDED.last_seen_at, "
            + "down_since = NULL RETURNING (SELECT state FROM before)")
        .execute(Tuple.of(s.storeId(), s.hostNode(), s.site(), s.url(), s.loadJson(), s.freeBytes(), now))
        .map(rows -> "down".equals(rows.iterator().next().getString(0)));
  }

  /** Marks nodes silent since {@code before} as down (S4) and returns their ids. */
  public Future<List<String>> markSilentDown(long before, long now) {
    return pool.preparedQuery("UPDATE storage_nodes SET state = 'down', down_since = $2 "
            + "WHERE state = 'up' AND last_seen_at < $1 RETURNING store_id")
        .execute(Tuple.of(before, now))
        .map(rows -> Pg.strings(rows, 0));
  }

  /**
   * Storage nodes with their state and load score (S2; lower takes new work first), up ones first:
   * the score and its terms (the weight w_i is the node's share of the cluster's remaining
   * capacity) are computed among the nodes that are up; a down node has none.
   */
  public Future<List<JsonObject>> stores(LoadScore score) {
    return pool.query("SELECT " + STORE_COLUMNS + ", last_seen_at, down_since FROM storage_nodes "
            + "ORDER BY state DESC, store_id")
        .execute()
        .map(rows -> {
          List<StoreLoad> up = new ArrayList<>();
          for (Row row : rows) {
            if ("up".equals(row.getString(6))) {
              up.add(store(row, 0));
            }
          }
          Map<String, ClusterLoad.Score> scores = score.scores(up);
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            StoreLoad load = store(row, 0);
            ClusterLoad.Score s = scores.get(load.storeId());
            JsonObject node = load.toJson().put("state", row.getString(6)).put("lastSeenAt", row.getLong(7))
                .put("downSince", row.getLong(8));
            if (s != null) {
              node.put("loadScore", s.load()).put("score", JsonObject.mapFrom(s));
            }
            out.add(node);
          }
          return out;
        });
  }

  public Future<List<StoreLoad>> liveStores() {
    return pool.query("SELECT " + STORE_COLUMNS + " FROM storage_nodes WHERE state = 'up' ORDER BY store_id")
        .execute()
        .map(rows -> {
          List<StoreLoad> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(store(row, 0));
          }
          return out;
        });
  }

  static final String STORE_COLUMNS = "store_id, host_node, site, url, free_bytes, load, state";

  static StoreLoad store(Row row, int at) {
    Object load = row.getValue(at + 5);
    return StoreLoad.of(row.getString(at), row.getString(at + 1), row.getString(at + 2), row.getString(at + 3),
        row.getLong(at + 4), load instanceof JsonObject j ? j : new JsonObject());
  }
}
