package tributary.archive;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import tributary.bus.StoredRecord;
import tributary.storage.PriorityOrder;
import tributary.store.RecordStore;

/**
 * How far each channel's records have been handed to blob storage (E7), and which segment blob
 * holds which cursor range.
 */
public final class ArchiveStore {
  private final Pool pool;

  public ArchiveStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A channel with records waiting: the priority of its most urgent waiting record (0 the highest)
   * and when its oldest waiting record was committed.
   */
  public record Behind(String channel, int priority, long waitingSince) {}

  /**
   * Channels with records not yet in a segment: all of them, or only those with at least
   * {@code minPending} waiting (so that a busy stream is cut into large segments, not one per commit).
   * The most urgent come first, so that the limit never leaves priority-0 records behind a backlog
   * of others (E7). A channel is judged by the {@code window} records its next segment takes (a
   * channel archives in cursor order, so nothing later can go before them), found as a cursor range
   * since a channel's cursors are dense (Q4): a look at its whole backlog cost a scan of every
   * waiting record per segment, a million records' backlog a second of PostgreSQL's CPU each time,
   * and a LIMIT over the partitions sorted them all first.
   */
  static final String BEHIND = "SELECT c.channel, w.urgent, w.since FROM channels c "
      + "LEFT JOIN archive_progress p ON p.channel = c.channel "
      + "CROSS JOIN LATERAL (SELECT coalesce(p.archived_cursor, 0) AS cursor) a "
      + "LEFT JOIN LATERAL (SELECT min(r.priority) AS urgent, min(r.committed_at) AS since FROM records r "
      + "WHERE r.channel = c.channel AND r.cursor > a.cursor AND r.cursor <= a.cursor + $3) w ON true "
      + "WHERE c.last_cursor - a.cursor >= greatest($1, 1) "
      + "ORDER BY w.urgent NULLS LAST, w.since, c.channel LIMIT $2";

  public Future<List<Behind>> behind(long minPending, int limit, int window) {
    return pool.preparedQuery(BEHIND).execute(Tuple.of(minPending, limit, window))
        .map(rows -> {
          List<Behind> out = new ArrayList<>();
          for (Row row : rows) {
            Integer urgent = row.getInteger(1);
            Long since = row.getLong(2);
            out.add(new Behind(row.getString(0), urgent == null ? PriorityOrder.UNSTATED : urgent,
                since == null ? 0 : since));
          }
          return out;
        });
  }

  /**
   * Locks the channel's progress for this transaction and returns the archived cursor, or -1
   * when another archiver holds it.
   */
  public static Future<Long> lock(SqlConnection tx, String channel) {
    return tx.preparedQuery("INSERT INTO archive_progress (channel, archived_cursor) VALUES ($1, 0) "
            + "ON CONFLICT (channel) DO NOTHING")
        .execute(Tuple.of(channel))
        .compose(v -> tx.preparedQuery("SELECT archived_cursor FROM archive_progress WHERE channel = $1 "
            + "FOR UPDATE SKIP LOCKED").execute(Tuple.of(channel)))
        .map(rows -> rows.size() == 0 ? -1L : rows.iterator().next().getLong(0));
  }

  /** A record to archive and the site of the edge that sent it (null if unknown). */
  public record Pending(StoredRecord record, String site) {}

  public static Future<List<Pending>> after(SqlConnection tx, String channel, long cursor, int limit) {
    return tx.preparedQuery("SELECT " + RecordStore.COLUMNS_OF_R + ", n.site "
            + "FROM records r LEFT JOIN nodes n ON n.node_id = r.edge WHERE r.channel = $1 AND r.cursor > $2 "
            + "ORDER BY r.cursor LIMIT $3")
        .execute(Tuple.of(channel, cursor, limit))
        .map(rows -> {
          List<Pending> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Pending(RecordStore.record(row, 0), row.getString(12)));
          }
          return out;
        });
  }

  public static Future<Void> segment(SqlConnection tx, String channel, long first, long last, String blobId) {
    return tx.preparedQuery("INSERT INTO record_segments (channel, first_cursor, last_cursor, blob_id) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (channel, first_cursor) DO UPDATE SET "
            + "last_cursor = EXCLUDED.last_cursor, blob_id = EXCLUDED.blob_id")
        .execute(Tuple.of(channel, first, last, blobId))
        .mapEmpty();
  }

  public static Future<Void> advance(SqlConnection tx, String channel, long cursor) {
    return tx.preparedQuery("UPDATE archive_progress SET archived_cursor = $2 WHERE channel = $1")
        .execute(Tuple.of(channel, cursor))
        .mapEmpty();
  }

  /** The segment blob holding a record's cursor, or null before it was archived. */
  public Future<String> segmentOf(String channel, long cursor) {
    return pool.preparedQuery("SELECT blob_id FROM record_segments WHERE channel = $1 AND first_cursor <= $2 "
            + "AND last_cursor >= $2 ORDER BY first_cursor DESC LIMIT 1")
        .execute(Tuple.of(channel, cursor))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }
}
