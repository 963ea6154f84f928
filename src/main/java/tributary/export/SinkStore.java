package tributary.export;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tributary.auth.UserStore;
import tributary.bus.StoredRecord;
import tributary.store.Pg;
import tributary.store.RecordStore;

/** Webhook sinks and their outbox (E8); see V2__pipeline.sql. */
public final class SinkStore {
  private static final String SINK_COLUMNS = "sink_id, url, channel, data_type, include, max_attempts, backoff_ms";
  private static final String SINK_COLUMNS_OF_S = Pg.qualified("s", SINK_COLUMNS);
  private static final int SINK_COLUMN_COUNT = SINK_COLUMNS.split(", ").length;
  private final Pool pool;

  public SinkStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> create(Sink sink, long now) {
    return pool.preparedQuery("INSERT INTO sinks (" + SINK_COLUMNS + ", created_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.of(sink.sinkId(), sink.url(), sink.channel(), sink.dataType(),
            sink.include().name().toLowerCase(Locale.ROOT), sink.maxAttempts(), sink.backoffMs(), now))
        .recover(e -> Future.failedFuture(tributary.fault.DatabaseFailures.uniqueViolation(e)
            ? new UserStore.DuplicateException("sink '" + sink.sinkId() + "' exists") : e))
        .mapEmpty();
  }

  public Future<List<Sink>> all() {
    return pool.query("SELECT " + SINK_COLUMNS + " FROM sinks ORDER BY sink_id").execute().map(rows -> {
      List<Sink> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(sink(r, 0));
      }
      return out;
    });
  }

  /** The sink in the {@link #SINK_COLUMNS} that start at column {@code first}. */
  private static Sink sink(Row r, int first) {
    return new Sink(r.getString(first), r.getString(first + 1), r.getString(first + 2), r.getString(first + 3),
        Sink.Include.valueOf(r.getString(first + 4).toUpperCase(Locale.ROOT)), r.getInteger(first + 5),
        r.getLong(first + 6));
  }

  /** Whether any sink is configured. */
  public Future<Boolean> any() {
    return pool.query("SELECT EXISTS (SELECT 1 FROM sinks)").execute()
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<Boolean> delete(String sinkId) {
    return pool.preparedQuery("DELETE FROM sinks WHERE sink_id = $1").execute(Tuple.of(sinkId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** A record due for delivery to a sink, with the attempts made so far. */
  public record Due(Sink sink, StoredRecord record, int attempts) {}

  /**
   * Takes up to {@code limit} due deliveries and leases them for {@code leaseMs}, so another
   * exporter does not send them meanwhile; an exporter that dies just lets the lease run out.
   */
  public Future<List<Due>> claimDue(long now, long leaseMs, int limit) {
    return pool.preparedQuery("WITH due AS (SELECT sink_id, record_id FROM sink_outbox "
            + "WHERE NOT dead AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
            + "leased AS (UPDATE sink_outbox o SET next_attempt_at = $1 + $3 FROM due "
            + "WHERE o.sink_id = due.sink_id AND o.record_id = due.record_id RETURNING o.sink_id, o.record_id, o.attempts) "
            + "SELECT l.attempts, " + SINK_COLUMNS_OF_S + ", " + RecordStore.COLUMNS_OF_R + " FROM leased l "
            + "JOIN sinks s ON s.sink_id = l.sink_id JOIN (" + RecordStore.BY_ID + ") ON i.record_id = l.record_id "
            + "ORDER BY r.channel, r.cursor")
        .execute(Tuple.of(now, limit, leaseMs))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Due(sink(row, 1), RecordStore.record(row, 1 + SINK_COLUMN_COUNT), row.getInteger(0)));
          }
          return out;
        });
  }

  public Future<Void> delivered(String sinkId, List<String> recordIds) {
    return pool.preparedQuery("DELETE FROM sink_outbox WHERE sink_id = $1 AND record_id = ANY($2)")
        .execute(Tuple.tuple().addString(sinkId).addArrayOfUUID(recordIds.stream().map(UUID::fromString)
            .toArray(UUID[]::new)))
        .mapEmpty();
  }

  /** Records a failed attempt; those that reach the sink's maximum become dead letters. */
  public Future<Void> failed(Sink sink, List<Due> batch, String error, long now) {
    List<Tuple> rows = new ArrayList<>();
    for (Due d : batch) {
      int attempts = d.attempts() + 1;
      rows.add(Tuple.of(sink.sinkId(), UUID.fromString(d.record().id()), attempts, now + sink.backoffAfter(attempts),
          error, attempts >= sink.maxAttempts()));
    }
    return pool.preparedQuery("UPDATE sink_outbox SET attempts = $3, next_attempt_at = $4, last_error = $5, "
            + "dead = $6 WHERE sink_id = $1 AND record_id = $2")
        .executeBatch(rows)
        .mapEmpty();
  }

  public Future<List<JsonObject>> deadLetters(String sinkId, int limit) {
    return pool.preparedQuery("SELECT o.attempts, o.last_error, " + RecordStore.COLUMNS_OF_R + " FROM sink_outbox o "
            + "JOIN (" + RecordStore.BY_ID + ") ON i.record_id = o.record_id WHERE o.sink_id = $1 AND o.dead "
            + "ORDER BY r.channel, r.cursor LIMIT $2")
        .execute(Tuple.of(sinkId, limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new JsonObject().put("attempts", row.getInteger(0)).put("lastError", row.getString(1))
                .put("record", RecordStore.record(row, 2).toJsonValue()));
          }
          return out;
        });
  }

  /** Puts a sink's dead letters back in line for delivery; returns how many. */
  public Future<Integer> replay(String sinkId, long now) {
    return pool.preparedQuery("UPDATE sink_outbox SET dead = false, attempts = 0, next_attempt_at = $2 "
            + "WHERE sink_id = $1 AND dead")
        .execute(Tuple.of(sinkId, now))
        .map(rows -> rows.rowCount());
  }
}
