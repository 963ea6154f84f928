package tributary.dispatch;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tributary.fault.Refusal;

/**
 * Workers, their numbers and the users bound to them (D1), in PostgreSQL. Every change raises the
 * topology's version in the same transaction.
 */
public final class TopologyStore {
  /** A node is live while it registered within this long (its agent registers every 5 s). */
  public static final long LIVE_MS = 15_000;

  private final Pool pool;

  public TopologyStore(Pool pool) {
    this.pool = pool;
  }

  /** The worker number of a node, made at its first registration; true in {@code changed} when new or moved. */
  public Future<Registered> register(String nodeId, String httpUrl, long now) {
    return pool.withTransaction(conn -> conn.preparedQuery(
            "SELECT worker_number, http_url FROM dispatch_workers WHERE node_id = $1").execute(Tuple.of(nodeId))
        .compose(rows -> {
          if (rows.size() > 0 && httpUrl.equals(rows.iterator().next().getString(1))) {
            return Future.succeededFuture(new Registered(rows.iterator().next().getInteger(0), false));
          }
          return conn.preparedQuery("INSERT INTO dispatch_workers (node_id, http_url, registered_at) VALUES ($1, $2, $3) "
                  + "ON CONFLICT (node_id) DO UPDATE SET http_url = EXCLUDED.http_url RETURNING worker_number")
              .execute(Tuple.of(nodeId, httpUrl, now))
              .compose(inserted -> bump(conn).map(new Registered(inserted.iterator().next().getInteger(0), true)));
        }));
  }

  /** A worker's number and whether the topology changed with its registration. */
  public record Registered(int number, boolean changed) {}

  /**
   * Binds a user to a worker, or with a null worker keeps its binding or binds it to the live
   * worker with the fewest users; answers the worker it is bound to, or null when none is live.
   */
  public Future<Integer> bind(String userId, Integer worker, long now) {
    return pool.withTransaction(conn -> (worker != null ? Future.succeededFuture(worker) : leastLoaded(conn, userId, now))
        .compose(chosen -> chosen == null ? Future.succeededFuture(null)
            : conn.preparedQuery("INSERT INTO dispatch_bindings (user_id, worker_number, bound_at) VALUES ($1, $2, $3) "
                    + "ON CONFLICT (user_id) DO UPDATE SET worker_number = EXCLUDED.worker_number, bound_at = EXCLUDED.bound_at "
                    + "WHERE dispatch_bindings.worker_number <> EXCLUDED.worker_number RETURNING worker_number")
                .execute(Tuple.of(userId, chosen, now))
                .compose(rows -> rows.size() > 0 ? bump(conn).map(chosen) : Future.succeededFuture(chosen))))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Refusal.notFound(pg.getDetail() != null && pg.getDetail().contains("user_id")
                ? "no user '" + userId + "'" : "no dispatch worker " + worker)
            : e));
  }

  /** The user's current worker if bound, else the live worker with the fewest users, else null. */
  private static Future<Integer> leastLoaded(SqlClient conn, String userId, long now) {
    return conn.preparedQuery("SELECT coalesce((SELECT worker_number FROM dispatch_bindings WHERE user_id = $1), "
            + "(SELECT w.worker_number FROM dispatch_workers w JOIN nodes n ON n.node_id = w.node_id "
            + "WHERE n.last_seen_at > $2 ORDER BY (SELECT count(*) FROM dispatch_bindings b "
            + "WHERE b.worker_number = w.worker_number), w.worker_number LIMIT 1))")
        .execute(Tuple.of(userId, now - LIVE_MS))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  private static Future<Void> bump(SqlClient conn) {
    return conn.query("UPDATE dispatch_topology SET version = version + 1").execute().mapEmpty();
  }

  /** The whole topology as it stands. */
  public Future<Topology> read(long now) {
    return pool.withTransaction(conn -> Future.all(
            conn.query("SELECT version FROM dispatch_topology").execute(),
            conn.preparedQuery("SELECT w.worker_number, w.node_id, w.http_url, coalesce(n.last_seen_at > $1, false) "
                + "FROM dispatch_workers w LEFT JOIN nodes n ON n.node_id = w.node_id ORDER BY w.worker_number")
                .execute(Tuple.of(now - LIVE_MS)),
            conn.query("SELECT user_id, worker_number FROM dispatch_bindings").execute())
        .map(all -> {
          long version = all.<RowSet<Row>>resultAt(0).iterator().next().getLong(0);
          List<Topology.Worker> workers = new ArrayList<>();
          for (Row row : all.<RowSet<Row>>resultAt(1)) {
            workers.add(new Topology.Worker(row.getInteger(0), row.getString(1), row.getString(2), row.getBoolean(3)));
          }
          Map<String, Integer> bindings = new HashMap<>();
          for (Row row : all.<RowSet<Row>>resultAt(2)) {
            bindings.put(row.getString(0), row.getInteger(1));
          }
          return new Topology(version, workers, bindings);
        }));
  }

  /** Which of these users exist, each with its worker (null when unbound). */
  public Future<Map<String, Integer>> users(List<String> userIds) {
    return pool.preparedQuery("SELECT u.user_id, b.worker_number FROM users u LEFT JOIN dispatch_bindings b "
            + "ON b.user_id = u.user_id WHERE u.user_id = ANY($1)")
        .execute(Tuple.of(userIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, Integer> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString(0), r.getInteger(1)));
          return out;
        });
  }
}
