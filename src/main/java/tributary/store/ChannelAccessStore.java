package tributary.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import tributary.http.ExpiringCache;
import tributary.http.Principal;
import tributary.processing.ResultChannels;

/**
 * Read rights per channel (X3): open to every authenticated user until restricted to a list of
 * readers by an administrator or the channel's owner. A result channel follows its input channel.
 * Answers are kept for a moment per node, so a change reaches other nodes within that moment.
 */
public final class ChannelAccessStore {
  /** How long a node trusts an answer it looked up. */
  public static final long CACHE_MS = 2000;

  private final Pool pool;
  private final ExpiringCache<String, Boolean> cache = new ExpiringCache<>(CACHE_MS, 100_000);

  /** Who may read a channel. */
  public record Access(String owner, boolean restricted, List<String> readers) {
    public JsonObject toJson(String channel) {
      return new JsonObject().put("channel", channel).put("owner", owner).put("restricted", restricted)
          .put("readers", new JsonArray(readers));
    }
  }

  public ChannelAccessStore(Pool pool) {
    this.pool = pool;
  }

  /** The channel whose rights govern reads of this one. */
  public static String governing(String channel) {
    String input = ResultChannels.inputOf(channel);
    return input == null ? channel : input;
  }

  public Future<Boolean> canRead(String channel, Principal who) {
    if (who.isAdmin()) {
      return Future.succeededFuture(true);
    }
    String governing = governing(channel);
    String key = governing + "\u0000" + who.id();
    long now = System.currentTimeMillis();
    Boolean known = cache.get(key, now);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return pool.preparedQuery("SELECT c.owner, c.restricted, EXISTS (SELECT 1 FROM channel_readers r "
            + "WHERE r.channel = c.channel AND r.user_id = $2) FROM channels c WHERE c.channel = $1")
        .execute(Tuple.of(governing, who.id()))
        .map(rows -> {
          boolean allowed = true;
          if (rows.size() > 0) {
            Row row = rows.iterator().next();
            allowed = !row.getBoolean(1) || who.id().equals(row.getString(0)) || row.getBoolean(2);
          }
          cache.put(key, allowed, now);
          return allowed;
        });
  }

  /** The channel's rights, or null when it does not exist. */
  public Future<Access> access(String channel) {
    return pool.preparedQuery("SELECT c.owner, c.restricted, coalesce(array_agg(r.user_id ORDER BY r.user_id) "
            + "FILTER (WHERE r.user_id IS NOT NULL), '{}') FROM channels c LEFT JOIN channel_readers r "
            + "ON r.channel = c.channel WHERE c.channel = $1 GROUP BY c.owner, c.restricted")
        .execute(Tuple.of(channel))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Access(row.getString(0), row.getBoolean(1), List.of(row.getArrayOfStrings(2)));
        });
  }

  /**
   * Restricts a channel to these readers (the owner and administrators always read), or opens it
   * again when {@code readers} is null. A channel without records is created, owned by nobody.
   */
  public Future<Void> setReaders(String channel, List<String> readers, long now) {
    List<Tuple> rows = new ArrayList<>();
    if (readers != null) {
      readers.forEach(r -> rows.add(Tuple.of(channel, r)));
    }
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO channels (channel, last_cursor, created_at, "
                + "restricted) VALUES ($1, 0, $2, $3) ON CONFLICT (channel) DO UPDATE SET restricted = EXCLUDED.restricted")
            .execute(Tuple.of(channel, now, readers != null))
            .compose(v -> conn.preparedQuery("DELETE FROM channel_readers WHERE channel = $1").execute(Tuple.of(channel)))
            .compose(v -> rows.isEmpty() ? Future.succeededFuture()
                : conn.preparedQuery("INSERT INTO channel_readers (channel, user_id) VALUES ($1, $2)").executeBatch(rows)))
        .onSuccess(v -> cache.removeIf(k -> k.startsWith(channel + "\u0000")))
        .mapEmpty();
  }
}
