package tributary.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tributary.bus.CommitReceipt;
import tributary.bus.CommitReceipt.Committed;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;

/**
 * Durable channel records in PostgreSQL. An append commits a whole envelope batch in one
 * transaction: ids seen before are answered with their earlier cursor (de-duplication, E4), new
 * ones take the next dense cursors of their channel (Q1).
 */
public final class RecordStore {
  private static final String COLUMNS =
      "channel, cursor, record_id, edge, data_type, priority, produced_at, committed_at, sender, destination, "
          + "payload, blob_ref";
  /** The same columns qualified by the alias {@code r}, for joins. */
  static final String COLUMNS_OF_R = "r." + COLUMNS.replace(", ", ", r.");

  private final Pool pool;

  public RecordStore(Pool pool) {
    this.pool = pool;
  }

  /** What an append did: the receipt in batch order and the newly stored records per channel. */
  public record Appended(CommitReceipt receipt, Map<String, List<StoredRecord>> newByChannel) {
    public List<StoredRecord> newRecords() {
      List<StoredRecord> all = new ArrayList<>();
      newByChannel.values().forEach(all::addAll);
      return all;
    }
  }

  public Future<Appended> append(List<Envelope> envelopes, long now) {
    return pool.withTransaction(conn -> appendIn(conn, envelopes, now));
  }

  /** The append, inside a transaction the caller holds (so more can commit with it). */
  public static Future<Appended> appendIn(SqlConnection conn, List<Envelope> envelopes, long now) {
    return existing(conn, envelopes).compose(seen -> {
      // Channels are locked in name order so concurrent batches over the same channels cannot deadlock.
      Map<String, List<Envelope>> fresh = new TreeMap<>();
      Map<String, Envelope> firstById = new HashMap<>();
      for (Envelope e : envelopes) {
        if (!seen.containsKey(e.id()) && firstById.putIfAbsent(e.id(), e) == null) {
          fresh.computeIfAbsent(e.channel(), c -> new ArrayList<>()).add(e);
        }
      }
      Map<String, List<StoredRecord>> stored = new LinkedHashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<String, List<Envelope>> entry : fresh.entrySet()) {
        chain = chain.compose(v -> insertChannel(conn, entry.getKey(), entry.getValue(), now)
            .map(records -> {
              stored.put(entry.getKey(), records);
              return null;
            }));
      }
      return chain.map(v -> new Appended(receipt(envelopes, seen, stored), stored));
    });
  }

  private static CommitReceipt receipt(
      List<Envelope> envelopes, Map<String, Committed> seen, Map<String, List<StoredRecord>> stored) {
    Map<String, Long> cursors = new HashMap<>();
    stored.values().forEach(list -> list.forEach(r -> cursors.put(r.id(), r.cursor())));
    List<Committed> out = new ArrayList<>(envelopes.size());
    for (Envelope e : envelopes) {
      Committed earlier = seen.get(e.id());
      out.add(earlier != null ? earlier : new Committed(e.id(), e.channel(), cursors.get(e.id()), false));
    }
    return new CommitReceipt(out);
  }

  private static Future<Map<String, Committed>> existing(SqlConnection conn, List<Envelope> envelopes) {
    UUID[] ids = envelopes.stream().map(e -> UUID.fromString(e.id())).toArray(UUID[]::new);
    return conn.preparedQuery("SELECT record_id, channel, cursor FROM records WHERE record_id = ANY($1)")
        .execute(Tuple.of(ids))
        .map(rows -> {
          Map<String, Committed> seen = new HashMap<>();
          for (Row row : rows) {
            String id = row.getUUID(0).toString();
            seen.put(id, new Committed(id, row.getString(1), row.getLong(2), true));
          }
          return seen;
        });
  }

  private static Future<List<StoredRecord>> insertChannel(
      SqlConnection conn, String channel, List<Envelope> batch, long now) {
    int n = batch.size();
    return conn.preparedQuery("INSERT INTO channels (channel, last_cursor, created_at) VALUES ($1, $2, $3) "
            + "ON CONFLICT (channel) DO UPDATE SET last_cursor = channels.last_cursor + EXCLUDED.last_cursor "
            + "RETURNING last_cursor")
        .execute(Tuple.of(channel, (long) n, now))
        .compose(rows -> {
          long first = rows.iterator().next().getLong(0) - n + 1;
          List<StoredRecord> records = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            records.add(StoredRecord.of(batch.get(i), first + i, now));
          }
          return insertRows(conn, records).map(records);
        });
  }

  private static Future<Void> insertRows(SqlConnection conn, List<StoredRecord> records) {
    int n = records.size();
    String[] channel = new String[n];
    Long[] cursor = new Long[n];
    UUID[] id = new UUID[n];
    String[] edge = new String[n];
    String[] dataType = new String[n];
    Short[] priority = new Short[n];
    Long[] producedAt = new Long[n];
    Long[] committedAt = new Long[n];
    String[] sender = new String[n];
    String[] destination = new String[n];
    String[] payload = new String[n];
    String[] blobRef = new String[n];
    for (int i = 0; i < n; i++) {
      StoredRecord r = records.get(i);
      channel[i] = r.channel();
      cursor[i] = r.cursor();
      id[i] = UUID.fromString(r.id());
      edge[i] = r.edge();
      dataType[i] = r.dataType();
      priority[i] = (short) r.priority();
      producedAt[i] = r.producedAt();
      committedAt[i] = r.committedAt();
      sender[i] = r.sender();
      destination[i] = r.destination();
      payload[i] = r.payload();
      blobRef[i] = r.blobRef();
    }
    Tuple args = Tuple.tuple().addArrayOfString(channel).addArrayOfLong(cursor).addArrayOfUUID(id)
        .addArrayOfString(edge).addArrayOfString(dataType).addArrayOfShort(priority).addArrayOfLong(producedAt)
        .addArrayOfLong(committedAt).addArrayOfString(sender).addArrayOfString(destination)
        .addArrayOfString(payload).addArrayOfString(blobRef);
    return conn.preparedQuery("INSERT INTO records (" + COLUMNS + ") SELECT * FROM unnest("
            + "$1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::smallint[], $7::bigint[], "
            + "$8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[])")
        .execute(args)
        .mapEmpty();
  }

  /** Up to {@code limit} records of the channel strictly after {@code after}, in cursor order. */
  public Future<List<StoredRecord>> readAfter(String channel, long after, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE channel = $1 AND cursor > $2 "
            + "ORDER BY cursor LIMIT $3")
        .execute(Tuple.of(channel, after, limit))
        .map(RecordStore::records);
  }

  /** One record by id, or null. */
  public Future<StoredRecord> byId(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE record_id = $1").execute(Tuple.of(uuid))
        .map(rows -> rows.size() == 0 ? null : record(rows.iterator().next(), 0));
  }

  /** Records of one data type in a channel committed in [from, to), in cursor order. */
  public static Future<List<StoredRecord>> readWindow(
      SqlConnection conn, String channel, String dataType, long from, long to) {
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE channel = $1 AND committed_at >= $2 "
            + "AND committed_at < $3 AND data_type = $4 ORDER BY cursor")
        .execute(Tuple.of(channel, from, to, dataType))
        .map(RecordStore::records);
  }

  private static List<StoredRecord> records(Iterable<Row> rows) {
    List<StoredRecord> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(record(row, 0));
    }
    return out;
  }

  /** A record from the {@link #COLUMNS} of a row, starting at column {@code at}. */
  static StoredRecord record(Row row, int at) {
    return new StoredRecord(row.getString(at), row.getLong(at + 1), row.getUUID(at + 2).toString(),
        row.getString(at + 3), row.getString(at + 4), row.getShort(at + 5), row.getLong(at + 6), row.getLong(at + 7),
        row.getString(at + 8), row.getString(at + 9), row.getString(at + 10), row.getString(at + 11));
  }
}
