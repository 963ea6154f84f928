package tributary.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Rights per channel as stored (X3): its owner and, once restricted, who reads and who writes.
 * What they allow is decided in one place, {@link tributary.http.Rights}. Look-ups are kept for
 * a moment per node, so a change reaches other nodes within that moment.
 */
public final class ChannelAccessStore {
  /** How long a node trusts an answer it looked up. */
  public static final long CACHE_MS = 2000;

  private static final String ACCESS = "SELECT c.owner, c.restricted, "
      + "coalesce((SELECT array_agg(r.user_id ORDER BY r.user_id) FROM channel_readers r WHERE r.channel = c.channel), "
      + "'{}'), coalesce((SELECT array_agg(w.user_id ORDER BY w.user_id) FROM channel_writers w "
      + "WHERE w.channel = c.channel), '{}') FROM channels c WHERE c.channel = $1";

  private final Pool pool;
  private final ExpiringCache<String, Access> cache;

  /** A channel's rights; a channel that does not exist yet is {@link #NONE}: open, owned by nobody. */
  public record Access(String owner, boolean restricted, List<String> readers, List<String> writers) {
    public static final Access NONE = new Access(null, false, List.of(), List.of());

    public JsonObject toJson(String channel) {
      return new JsonObject().put("channel", channel).put("owner", owner).put("restricted", restricted)
          .put("readers", new JsonArray(readers)).put("writers", new JsonArray(writers));
    }
  }

  /** What {@link #claim} did. */
  public enum Claim { CREATED, UNCHANGED, CHANGED, CONFLICT }

  /**
   * A store whose look-ups are kept in {@code cache}, which the node's HTTP event loops share, so a
   * change made through one loop is seen at once by the others.
   */
  public ChannelAccessStore(Pool pool, ExpiringCache<String, Access> cache) {
    this.pool = pool;
    this.cache = cache;
  }

  /** An empty cache of look-ups for {@link #ChannelAccessStore}. */
  public static ExpiringCache<String, Access> newCache() {
    return new ExpiringCache<>(CACHE_MS, 100_000);
  }

  /** The channel's rights, at most {@link #CACHE_MS} old; {@link Access#NONE} when it does not exist. */
  public Future<Access> cached(String channel) {
    long now = System.currentTimeMillis();
    Access known = cache.get(channel, now);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return read(pool, channel).map(a -> {
      Access found = a == null ? Access.NONE : a;
      cache.put(channel, found, now);
      return found;
    });
  }

  /** The channel's rights as stored now, or null when it does not exist. */
  public Future<Access> access(String channel) {
    return read(pool, channel);
  }

  private static Future<Access> read(SqlClient client, String channel) {
    return client.preparedQuery(ACCESS).execute(Tuple.of(channel)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Access(row.getString(0), row.getBoolean(1), List.of(row.getArrayOfStrings(2)),
          List.of(row.getArrayOfStrings(3)));
    });
  }

  /**
   * Restricts a channel to these readers and writers (the owner and administrators always read and
   * write), or opens it again when both are null. A channel without records is created, owned by
   * nobody.
   */
  public Future<Void> setAcl(String channel, List<String> readers, List<String> writers, long now) {
    boolean restricted = readers != null || writers != null;
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO channels (channel, last_cursor, created_at, "
                + "restricted) VALUES ($1, 0, $2, $3) ON CONFLICT (channel) DO UPDATE SET restricted = EXCLUDED.restricted")
            .execute(Tuple.of(channel, now, restricted))
            .compose(v -> replace(conn, "channel_readers", channel, readers))
            .compose(v -> replace(conn, "channel_writers", channel, writers)))
        .onSuccess(v -> cache.removeIf(channel::equals))
        .mapEmpty();
  }

  private static Future<Void> replace(SqlClient conn, String table, String channel, List<String> users) {
    List<Tuple> rows = new ArrayList<>();
    if (users != null) {
      users.forEach(u -> rows.add(Tuple.of(channel, u)));
    }
    return conn.preparedQuery("DELETE FROM " + table + " WHERE channel = $1").execute(Tuple.of(channel))
        .compose(v -> rows.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery("INSERT INTO " + table + " (channel, user_id) VALUES ($1, $2)").executeBatch(rows))
        .mapEmpty();
  }

  /**
   * Gives the channel this owner: creates it if it does not exist, takes it if it has no owner
   * yet; a channel owned by someone else is a {@link Claim#CONFLICT} unless {@code force}.
   */
  public Future<Claim> claim(String channel, String owner, boolean force, long now) {
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO channels (channel, last_cursor, created_at, "
                + "owner) VALUES ($1, 0, $2, $3) ON CONFLICT (channel) DO NOTHING")
            .execute(Tuple.of(channel, now, owner))
            .compose(inserted -> {
              if (inserted.rowCount() == 1) {
                return Future.succeededFuture(Claim.CREATED);
              }
              return conn.preparedQuery("SELECT owner FROM channels WHERE channel = $1 FOR UPDATE")
                  .execute(Tuple.of(channel)).compose(rows -> {
                    String current = rows.iterator().next().getString(0);
                    if (owner.equals(current)) {
                      return Future.succeededFuture(Claim.UNCHANGED);
                    }
                    if (current != null && !force) {
                      return Future.succeededFuture(Claim.CONFLICT);
                    }
                    return conn.preparedQuery("UPDATE channels SET owner = $2 WHERE channel = $1")
                        .execute(Tuple.of(channel, owner)).map(Claim.CHANGED);
                  });
            }))
        .onSuccess(v -> cache.removeIf(channel::equals));
  }
}
