package tributary.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels a caller may read, by name, with what the console lists for each: length, owner and
 * rights (a result channel's are its input's), and the cache setting of its own, if any; and the
 * totals over all of them. An administrator sees every channel; anyone else sees the open ones,
 * those they own and those they are a reader of, and no system channel (edge feeds, user queues).
 */
public final class ChannelDirectory {
  private static final String GOVERNING = "CASE WHEN right(c.channel, 8) = '.results' "
      + "THEN left(c.channel, -8) ELSE c.channel END";
  /** $1: the caller's id, null for an administrator. */
  private static final String VISIBLE = "($1::text IS NULL OR (left(c.channel, 1) <> '_' AND (g.channel IS NULL "
      + "OR NOT g.restricted OR g.owner = $1 OR EXISTS (SELECT 1 FROM channel_readers r "
      + "WHERE r.channel = g.channel AND r.user_id = $1))))";
  private static final String FROM = " FROM channels c LEFT JOIN channels g ON g.channel = " + GOVERNING + " ";
  private static final String PAGE = "SELECT c.channel, c.last_cursor, c.created_at, coalesce(g.owner, c.owner), "
      + "coalesce(g.restricted, false), "
      + "coalesce((SELECT array_agg(r.user_id ORDER BY r.user_id) FROM channel_readers r WHERE r.channel = g.channel), '{}'), "
      + "coalesce((SELECT array_agg(w.user_id ORDER BY w.user_id) FROM channel_writers w WHERE w.channel = g.channel), '{}'), "
      + "s.ttl_ms, s.adaptive, s.cached" + FROM + "LEFT JOIN channel_cache_settings s ON s.channel = c.channel WHERE " + VISIBLE
      + " AND starts_with(c.channel, $2) AND c.channel > $3 ORDER BY c.channel LIMIT $4";
  private static final String TOTALS = "SELECT count(*), coalesce(sum(c.last_cursor), 0)" + FROM + "WHERE " + VISIBLE;

  private final Pool pool;

  public ChannelDirectory(Pool pool) {
    this.pool = pool;
  }

  /** What one listing asks for: whose view (null: an administrator's), a name prefix, the name to start after. */
  public record Ask(String viewer, String prefix, String after, int limit) {}

  /** A page of channels in name order, {@code next} (the name to continue after, null at the end) and the totals. */
  public Future<JsonObject> list(Ask ask) {
    Future<List<JsonObject>> page = pool.preparedQuery(PAGE)
        .execute(Tuple.of(ask.viewer(), ask.prefix(), ask.after(), ask.limit())).map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(channel(row));
          }
          return out;
        });
    Future<Row> totals = pool.preparedQuery(TOTALS).execute(Tuple.of(ask.viewer())).map(rows -> rows.iterator().next());
    return Future.all(page, totals).map(all -> {
      List<JsonObject> channels = all.resultAt(0);
      Row t = all.resultAt(1);
      Object next = channels.size() < ask.limit() ? null : channels.get(channels.size() - 1).getString("channel");
      return new JsonObject().put("channels", new JsonArray(channels)).put("next", next)
          .put("totals", new JsonObject().put("channels", t.getLong(0)).put("records", t.getLong(1)));
    });
  }

  private static JsonObject channel(Row row) {
    JsonObject out = new JsonObject().put("channel", row.getString(0)).put("length", row.getLong(1))
        .put("createdAt", row.getLong(2)).put("owner", row.getString(3)).put("restricted", row.getBoolean(4))
        .put("readers", new JsonArray(List.of(row.getArrayOfStrings(5))))
        .put("writers", new JsonArray(List.of(row.getArrayOfStrings(6))));
    if (row.getValue(7) != null) {
      out.put("ttlMs", row.getLong(7)).put("adaptive", row.getBoolean(8)).put("cached", row.getBoolean(9));
    }
    return out;
  }
}
