package tributary.query;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.store.ChannelCache;
import tributary.store.ChannelCache.Entry;
import tributary.store.RecordStore;

/**
 * Cursor reads (Q2): the gap-free prefix the Redis stream holds, the rest from PostgreSQL. Redis
 * being down only makes reads slower, never wrong.
 */
public final class ChannelReader {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelReader.class);

  private final ChannelCache cache;
  private final RecordStore records;

  public ChannelReader(ChannelCache cache, RecordStore records) {
    this.cache = cache;
    this.records = records;
  }

  /** A page of records as JSON texts, and the cursor to continue after. */
  public record Page(List<String> records, long next) {}

  public Future<Page> read(String channel, long after, int limit) {
    return cache.readAfter(channel, after, limit)
        .otherwise(e -> {
          LOG.warn("cache read failed, reading from PostgreSQL [channel: {}, cause: {}]", channel, e.getMessage());
          return List.of();
        })
        .compose(cached -> {
          List<Entry> prefix = CursorSeam.contiguousPrefix(after, cached);
          List<String> out = new ArrayList<>(limit);
          prefix.forEach(e -> out.add(e.json()));
          long next = after + prefix.size();
          if (prefix.size() == limit) {
            return Future.succeededFuture(new Page(out, next));
          }
          return records.readAfter(channel, next, limit - prefix.size()).map(rest -> {
            rest.forEach(r -> out.add(r.toJsonText()));
            long last = rest.isEmpty() ? next : rest.get(rest.size() - 1).cursor();
            return new Page(out, last);
          });
        });
  }
}
