package tributary.processing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Aggregate windows waiting to close (E5); see V2__pipeline.sql for the exactly-once scheme. */
public final class AggregateWindowStore {
  private AggregateWindowStore() {}

  /** One window of one data type in one channel. */
  public record Window(String channel, String dataType, long start, long lengthMs) {
    /** Where the window of {@code lengthMs} that holds {@code time} starts. */
    public static long startOf(long time, long lengthMs) {
      return Math.floorDiv(time, lengthMs) * lengthMs;
    }
  }

  /**
   * The windows an input opens: its channel's and type's, of one length. Which one holds it is
   * known only when its statement is made, since an input counts in the window of its commit time.
   */
  public record WindowKind(String channel, String dataType, long lengthMs) {
    /** The window of this kind that holds {@code time}. */
    public Window at(long time) {
      return new Window(channel, dataType, Window.startOf(time, lengthMs), lengthMs);
    }
  }

  public static Future<Void> mark(SqlConnection conn, Collection<Window> windows) {
    if (windows.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    windows.forEach(w -> rows.add(Tuple.of(w.channel(), w.dataType(), w.start(), w.lengthMs())));
    return conn.preparedQuery("INSERT INTO aggregate_windows (channel, data_type, window_start, window_ms) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** Locks up to {@code limit} windows that ended before {@code endedBefore}, skipping ones others hold. */
  public static Future<List<Window>> claimDue(SqlConnection conn, long endedBefore, int limit) {
    return conn.preparedQuery("SELECT channel, data_type, window_start, window_ms FROM aggregate_windows "
            + "WHERE window_start + window_ms <= $1 ORDER BY window_start + window_ms LIMIT $2 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(endedBefore, limit))
        .map(rows -> {
          List<Window> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Window(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3)));
          }
          return out;
        });
  }

  public static Future<Void> delete(SqlConnection conn, Window w) {
    return conn.preparedQuery("DELETE FROM aggregate_windows WHERE channel = $1 AND data_type = $2 "
            + "AND window_start = $3")
        .execute(Tuple.of(w.channel(), w.dataType(), w.start()))
        .mapEmpty();
  }
}
