package tributary.query;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCache.Entry;
import tributary.store.RecordStore;

/**
 * Cursor reads (Q2): the gap-free prefix the Redis stream holds, the rest from PostgreSQL (from
 * the read pool when the reader is a page or more behind a cursor known committed, X2). Redis
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

  /** A page of records (cursor and JSON text), and the cursor to continue after. */
  public record Page(List<Entry> records, long next) {
    public List<String> json() {
      return records.stream().map(Entry::json).toList();
    }
  }

  /** A cursor read of records the reader has no head for: PostgreSQL is asked for whatever the cache lacks. */
  public Future<Page> read(String channel, long after, int limit) {
    return read(channel, after, limit, Long.MAX_VALUE);
  }

  /**
   * A cursor read by a live reader that knows the channel's newest cursor: when the cache holds
   * everything up to it, PostgreSQL is not asked at all.
   */
  public Future<Page> read(String channel, long after, int limit, long knownHead) {
    return cache.readAfter(channel, after, limit)
        .otherwise(e -> {
          LOG.warn("cache read failed, reading from PostgreSQL [channel: {}, cause: {}]", channel, e.getMessage());
          return List.of();
        })
        .compose(cached -> {
          List<Entry> prefix = CursorSeam.contiguousPrefix(after, cached);
          List<Entry> out = new ArrayList<>(prefix);
          long next = after + prefix.size();
          if (prefix.size() == limit || next >= knownHead) {
            return Future.succeededFuture(new Page(out, next));
          }
          // the newest record known committed: the reader's head, else the newest the cache holds
          long committed = knownHead != Long.MAX_VALUE ? knownHead
              : cached.isEmpty() ? 0 : cached.get(cached.size() - 1).cursor();
          return records.readAfter(channel, next, limit - prefix.size(), committed).map(rest -> {
            rest.forEach(r -> out.add(new Entry(r.cursor(), r.toJsonText())));
            long last = rest.isEmpty() ? next : rest.get(rest.size() - 1).cursor();
            return new Page(out, last);
          });
        });
  }
}
