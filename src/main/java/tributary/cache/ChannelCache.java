package tributary.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import tributary.bus.StoredRecord;

/**
 * The per-channel Redis stream (Q1): entry id {@code <cursor>-0}, one field {@code r} holding the
 * record's public JSON. Channels never share a key.
 */
public final class ChannelCache {
  /** The cursor a stream entry holds: its id is {@code cursor-0}. */
  public static long cursorOf(String streamId) {
    return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
  }

  private final Redis redis;
  private final CacheKeys keys;

  public ChannelCache(Redis redis, String prefix) {
    this.redis = redis;
    this.keys = new CacheKeys(prefix);
  }

  public String key(String channel) {
    return keys.channel(channel);
  }

  /** One cached entry: the cursor and the record's JSON text. */
  public record Entry(long cursor, String json) {}

  /**
   * Appends records in cursor order in one round trip. An entry at or below the stream's last id is
   * refused by Redis; that only happens for records already cached (or older than what a faster
   * writer cached), which readers then take from PostgreSQL, so such refusals are not errors.
   */
  public Future<Void> append(String channel, List<StoredRecord> records) {
    String key = key(channel);
    List<Request> batch = new ArrayList<>(records.size());
    for (StoredRecord r : records) {
      batch.add(Request.cmd(Command.XADD).arg(key).arg(r.cursor() + "-0").arg("r").arg(r.toJsonText()));
    }
    return redis.batch(batch).recover(e -> isIdTooSmall(e) ? Future.succeededFuture() : Future.failedFuture(e))
        .mapEmpty();
  }

  private static boolean isIdTooSmall(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("equal or smaller than the target stream top item");
  }

  /** Drops the channel's stream, as when it is switched out of the cache. */
  public Future<Void> drop(String channel) {
    return redis.send(Request.cmd(Command.DEL).arg(key(channel))).mapEmpty();
  }

  /** Up to {@code limit} cached entries with cursor > {@code after}, in order. */
  public Future<List<Entry>> readAfter(String channel, long after, int limit) {
    return redis.send(Request.cmd(Command.XRANGE).arg(key(channel)).arg("(" + after + "-0").arg("+")
            .arg("COUNT").arg(limit))
        .map(ChannelCache::entries);
  }

  private static List<Entry> entries(Response response) {
    List<Entry> out = new ArrayList<>();
    if (response == null) {
      return out;
    }
    for (Response item : response) {
      String id = item.get(0).toString();
      Response fields = item.get(1);
      out.add(new Entry(cursorOf(id), fieldValue(fields, "r")));
    }
    return out;
  }

  private static String fieldValue(Response fields, String name) {
    if (fields.isMap()) {
      Response value = fields.get(name);
      return value == null ? null : value.toString();
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    return null;
  }
}
