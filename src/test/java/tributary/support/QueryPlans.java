package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** What a statement's real plan read, for tests that bound a query's cost rather than time it. */
public final class QueryPlans {
  private QueryPlans() {}

  /**
   * Rows that the scans of tables named {@code relation...} (a table or its partitions) read when
   * {@code sql} ran with {@code args}: returned or filtered out, over all their loops.
   */
  public static long rowsRead(Pool pool, String sql, Tuple args, String relation) {
    JsonArray plan = (JsonArray) await(pool.preparedQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).execute(args))
        .iterator().next().getValue(0);
    return rowsRead(plan.getJsonObject(0).getJsonObject("Plan"), relation);
  }

  private static long rowsRead(JsonObject node, String relation) {
    long read = String.valueOf(node.getString("Relation Name")).startsWith(relation)
        ? (node.getLong("Actual Rows") + node.getLong("Rows Removed by Filter", 0L)) * node.getLong("Actual Loops")
        : 0;
    JsonArray children = node.getJsonArray("Plans", new JsonArray());
    for (int i = 0; i < children.size(); i++) {
      read += rowsRead(children.getJsonObject(i), relation);
    }
    return read;
  }
}
