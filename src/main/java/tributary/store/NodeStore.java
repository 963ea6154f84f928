package tributary.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.NodeDirectory;
import tributary.bus.NodeRegistration;

/** The node registry kept by management (E1). */
public final class NodeStore {
  private final Pool pool;

  public NodeStore(Pool pool) {
    this.pool = pool;
  }

  /** What management holds for a node after its registration: its number and its pool address (or null). */
  public record Registration(int nodeNumber, String poolAddress) {}

  /** Records a registration, taking the id for {@code r.instance()}; the node keeps its number. */
  public Future<Registration> upsert(NodeRegistration r, long now) {
    return pool.preparedQuery("INSERT INTO nodes (node_id, roles, site, http_url, cores, memory_bytes, disk_bytes, "
            + "registered_at, last_seen_at, instance) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) "
            + "ON CONFLICT (node_id) DO UPDATE SET roles = EXCLUDED.roles, site = EXCLUDED.site, "
            + "http_url = EXCLUDED.http_url, cores = EXCLUDED.cores, memory_bytes = EXCLUDED.memory_bytes, "
            + "disk_bytes = EXCLUDED.disk_bytes, last_seen_at = EXCLUDED.last_seen_at, instance = EXCLUDED.instance "
            + "RETURNING node_number, pool_address")
        .execute(Tuple.of(r.nodeId(), r.roles().toArray(String[]::new), r.site(), r.httpUrl(), r.cores(),
            r.memoryBytes(), r.diskBytes(), now, r.instance()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Registration(row.getInteger(0), row.getString(1));
        });
  }

  /** The pool addresses held by nodes other than {@code nodeId}. */
  public Future<Set<String>> poolAddressesOfOthers(String nodeId) {
    return pool.preparedQuery("SELECT pool_address FROM nodes WHERE pool_address IS NOT NULL AND node_id <> $1")
        .execute(Tuple.of(nodeId))
        .map(rows -> {
          Set<String> taken = new HashSet<>();
          rows.forEach(row -> taken.add(row.getString(0)));
          return taken;
        });
  }

  /**
   * Gives the node {@code address} from the pool, or takes its pool address away ({@code null}); fails
   * with a unique violation when another node took the same address meanwhile.
   */
  public Future<Void> setPoolAddress(String nodeId, String address) {
    return pool.preparedQuery("UPDATE nodes SET pool_address = $2 WHERE node_id = $1")
        .execute(Tuple.of(nodeId, address)).mapEmpty();
  }

  /** The process that holds a node id and when it last registered, or null for an id never registered. */
  public record Holder(String instance, String httpUrl, long lastSeenAt) {}

  public Future<Holder> holder(String nodeId) {
    return pool.preparedQuery("SELECT instance, http_url, last_seen_at FROM nodes WHERE node_id = $1")
        .execute(Tuple.of(nodeId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next())
        .map(row -> row == null ? null : new Holder(row.getString(0), row.getString(1), row.getLong(2)));
  }

  /** Every registered node; those seen within {@code upWithinMs} of {@code now} are "up". */
  public Future<List<NodeDirectory.Node>> list(String role, long now, long upWithinMs) {
    return pool.preparedQuery("SELECT node_id, roles, site, http_url, cores, memory_bytes, disk_bytes, "
            + "registered_at, last_seen_at, node_number, coalesce(pool_address, http_url) FROM nodes WHERE $1::text IS NULL OR $1 = ANY(roles) "
            + "ORDER BY node_id")
        .execute(Tuple.of(role))
        .map(rows -> {
          List<NodeDirectory.Node> nodes = new ArrayList<>();
          for (Row row : rows) {
            String id = row.getString(0);
            nodes.add(new NodeDirectory.Node(id, row.getInteger(9), Arrays.asList(row.getArrayOfStrings(1)), row.getString(2),
                row.getString(10), row.getString(3), row.getInteger(4), row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8),
                now - row.getLong(8) <= upWithinMs ? "up" : "down"));
          }
          return nodes;
        });
  }

  /** Whether the node ever registered. */
  public Future<Boolean> exists(String nodeId) {
    return pool.preparedQuery("SELECT 1 FROM nodes WHERE node_id = $1").execute(Tuple.of(nodeId))
        .map(rows -> rows.size() > 0);
  }

  /** The node's grant, or {@code fallback} when none was set for it. */
  public Future<EdgeGrant> grant(String nodeId, EdgeGrant fallback) {
    return pool.preparedQuery("SELECT permitted_types, default_priority, updated_at, result_hook FROM edge_grants "
            + "WHERE node_id = $1")
        .execute(Tuple.of(nodeId))
        .map(rows -> {
          if (rows.size() == 0) {
            return fallback;
          }
          Row row = rows.iterator().next();
          return new EdgeGrant(Arrays.asList(row.getArrayOfStrings(0)), row.getShort(1), Envelope.PROTOCOL_VERSION,
              row.getLong(2), row.getString(3));
        });
  }

  /** Stores the grant under its revision, which is also its update time. */
  public Future<Void> putGrant(String nodeId, EdgeGrant grant) {
    return pool.preparedQuery("INSERT INTO edge_grants (node_id, permitted_types, default_priority, updated_at, result_hook) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (node_id) DO UPDATE SET permitted_types = EXCLUDED.permitted_types, "
            + "default_priority = EXCLUDED.default_priority, updated_at = EXCLUDED.updated_at, "
            + "result_hook = EXCLUDED.result_hook")
        .execute(Tuple.of(nodeId, grant.permittedTypes().toArray(String[]::new), (short) grant.defaultPriority(),
            grant.revision(), grant.resultHook()))
        .mapEmpty();
  }
}
