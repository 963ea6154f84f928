package tributary.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.CommitReceipt;
import tributary.bus.CommitReceipt.Committed;
import tributary.bus.Envelope;
import tributary.bus.StoredRecord;

/**
 * Durable channel records in PostgreSQL. An append commits a whole envelope batch in one
 * transaction: ids seen before, in any channel, are answered with their earlier channel and cursor
 * (de-duplication, E4), new ones take the next dense cursors of their channel (Q1). The records
 * table is partitioned by channel, so the one table that holds each id once is {@code record_ids}
 * (V20): appends de-duplicate against it and look-ups by id read it to find the record's partition.
 */
public final class RecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
  private static final String COLUMNS =
      "channel, cursor, record_id, edge, data_type, priority, produced_at, committed_at, sender, destination, "
          + "payload, blob_ref";
  /** The same columns qualified by the alias {@code r}, for joins. */
  public static final String COLUMNS_OF_R = Pg.qualified("r", COLUMNS);
  /**
   * Records {@code r} by their ids {@code i.record_id}, for a look-up that has the id alone: the id
   * table names the record's channel, so only that partition of the records is read.
   */
  public static final String BY_ID = "record_ids i JOIN records r ON r.channel = i.channel AND r.cursor = i.cursor";

  private final Pool pool;
  /** Where history and catch-up pages are read (X2): a replica's pool, or {@link #pool} itself. */
  private final Pool reads;

  /** Every read on the primary. */
  public RecordStore(Pool pool) {
    this(pool, pool);
  }

  /** Reads that may lag (history, catch-up pages) on {@code reads}, the rest on {@code pool}. */
  public RecordStore(Pool pool, Pool reads) {
    this.pool = pool;
    this.reads = reads;
  }

  /** What an append did: the receipt in batch order and the newly stored records per channel. */
  public record Appended(CommitReceipt receipt, Map<String, List<StoredRecord>> newByChannel) {
    public List<StoredRecord> newRecords() {
      List<StoredRecord> all = new ArrayList<>();
      newByChannel.values().forEach(all::addAll);
      return all;
    }
  }

  /** Which gateway forwarded a batch and which core committed it, kept with each record for provenance (S8). */
  public record Route(String gateway, String coreNode) {}

  /**
   * Appends in one statement, so it is atomic on its own (a pool runs it in autocommit) or inside
   * a transaction the caller holds on a connection, with whatever else must commit with it.
   * In that statement: ids already stored, in whatever channel, come back with that channel and
   * their first cursor; the others take the next cursors of their channels (locked in name order,
   * so concurrent appends cannot deadlock) and are inserted, and, when {@code queueForSinks},
   * queued for the sinks that want them. Without it the statement fails if any sink exists
   * ({@link #sinksAppeared}).
   */
  public static Future<Appended> appendIn(SqlClient client, List<Envelope> envelopes, long now, Route route,
      boolean queueForSinks) {
    return appendIn(client, envelopes, java.util.Collections.nCopies(envelopes.size(), route.gateway()),
        route.coreNode(), now, queueForSinks);
  }

  /**
   * As {@link #appendIn(SqlClient, List, long, Route, boolean)}, for envelopes that came through
   * different gateways ({@code gateways.get(i)} forwarded {@code envelopes.get(i)}), on a pool:
   * the statement first takes every id as new, and only when one turns out stored is it made
   * again looking ids up. A failed statement would abort a transaction, hence a pool, not a
   * connection.
   */
  public static Future<Appended> appendToPool(Pool pool, List<Envelope> envelopes, List<String> gateways,
      String coreNode, long now, boolean queueForSinks) {
    return append(pool, envelopes, gateways, coreNode, now, queueForSinks, false)
        .recover(e -> raced(e) ? append(pool, envelopes, gateways, coreNode, now, queueForSinks, true)
            : Future.failedFuture(e));
  }

  /**
   * As {@link #appendIn(SqlClient, List, long, Route, boolean)}, for envelopes that came through
   * different gateways: {@code gateways.get(i)} forwarded {@code envelopes.get(i)}.
   */
  public static Future<Appended> appendIn(SqlClient client, List<Envelope> envelopes, List<String> gateways,
      String coreNode, long now, boolean queueForSinks) {
    return append(client, envelopes, gateways, coreNode, now, queueForSinks, true);
  }

  private static Future<Appended> append(SqlClient client, List<Envelope> envelopes, List<String> gateways,
      String coreNode, long now, boolean queueForSinks, boolean checkIds) {
    // Each id once, at its first place in the batch.
    Map<String, Integer> firstAt = new LinkedHashMap<>();
    for (int k = 0; k < envelopes.size(); k++) {
      firstAt.putIfAbsent(envelopes.get(k).id(), k);
    }
    int n = firstAt.size();
    String[] gateway = new String[n];
    String[] channel = new String[n];
    UUID[] id = new UUID[n];
    String[] edge = new String[n];
    String[] dataType = new String[n];
    Short[] priority = new Short[n];
    Long[] producedAt = new Long[n];
    String[] sender = new String[n];
    String[] destination = new String[n];
    String[] payload = new String[n];
    String[] blobRef = new String[n];
    // Only the queuing statement reads the export keys; the other gets empty arrays, which unnest
    // pads with nulls, and no result payload is parsed for them.
    int keys = queueForSinks ? n : 0;
    Boolean[] exportResult = new Boolean[keys];
    String[] exportChannel = new String[keys];
    String[] exportType = new String[keys];
    int i = 0;
    for (int k : firstAt.values()) {
      Envelope e = envelopes.get(k);
      gateway[i] = gateways.get(k);
      channel[i] = e.channel();
      id[i] = UUID.fromString(e.id());
      edge[i] = e.edge();
      dataType[i] = e.dataType();
      priority[i] = (short) e.priority();
      producedAt[i] = e.producedAt();
      sender[i] = e.sender();
      destination[i] = e.destination();
      payload[i] = e.payload();
      blobRef[i] = e.blobRef();
      ExportKey key = queueForSinks ? ExportKey.of(e.channel(), e.dataType(), e.payload()) : null;
      if (key != null) {
        exportResult[i] = key.result();
        exportChannel[i] = key.channel();
        exportType[i] = key.dataType();
      }
      i++;
    }
    Tuple args = Tuple.tuple().addArrayOfString(channel).addArrayOfUUID(id).addArrayOfString(edge)
        .addArrayOfString(dataType).addArrayOfShort(priority).addArrayOfLong(producedAt).addArrayOfString(sender)
        .addArrayOfString(destination).addArrayOfString(payload).addArrayOfString(blobRef).addLong(now)
        .addArrayOfString(gateway).addString(coreNode).addArrayOfBoolean(exportResult)
        .addArrayOfString(exportChannel).addArrayOfString(exportType);
    String statement = checkIds ? (queueForSinks ? CHECKED_QUEUING : CHECKED_WITHOUT_SINKS)
        : (queueForSinks ? UNCHECKED_QUEUING : UNCHECKED_WITHOUT_SINKS);
    return client.preparedQuery(statement).execute(args).map(rows -> {
      Map<String, Committed> byId = checkIds ? answered(rows) : assigned(rows, firstAt.values(), envelopes);
      Map<String, List<StoredRecord>> stored = new TreeMap<>();
      for (int at : firstAt.values()) {
        Envelope e = envelopes.get(at);
        Committed c = byId.get(e.id());
        if (!c.duplicate()) {
          stored.computeIfAbsent(e.channel(), k -> new ArrayList<>()).add(StoredRecord.of(e, c.cursor(), now));
        }
      }
      stored.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(StoredRecord::cursor)));
      List<Committed> receipt = new ArrayList<>(envelopes.size());
      envelopes.forEach(e -> receipt.add(byId.get(e.id())));
      return new Appended(new CommitReceipt(receipt), stored);
    });
  }

  /** Each id's place as the checked statement answers it: one row per distinct id, old or new. */
  private static Map<String, Committed> answered(Iterable<Row> rows) {
    Map<String, Committed> byId = new HashMap<>();
    for (Row row : rows) {
      String rid = row.getUUID(0).toString();
      byId.put(rid, new Committed(rid, row.getString(1), row.getLong(2), row.getBoolean(3)));
    }
    return byId;
  }

  /**
   * Each id's place after an unchecked statement, which answers one row per channel with its new
   * last cursor: every id was new, and the statement numbered a channel's ids in batch order
   * after the cursor it found, so they end at that last cursor.
   */
  private static Map<String, Committed> assigned(Iterable<Row> rows, Iterable<Integer> order,
      List<Envelope> envelopes) {
    Map<String, long[]> next = new HashMap<>();
    for (int at : order) {
      next.computeIfAbsent(envelopes.get(at).channel(), c -> new long[1])[0]--;
    }
    for (Row row : rows) {
      next.get(row.getString(0))[0] += row.getLong(1) + 1;
    }
    Map<String, Committed> byId = new HashMap<>();
    for (int at : order) {
      Envelope e = envelopes.get(at);
      long[] cursor = next.get(e.channel());
      byId.put(e.id(), new Committed(e.id(), e.channel(), cursor[0]++, false));
    }
    return byId;
  }

  /**
   * The first part of both append statements (see {@link #appendIn}); their final selects see the
   * snapshot before the inserts, so "old" is only what existed. The duplicate check is a lateral
   * look-up by id that the planner cannot flatten (LIMIT 1): as a join, a plan made while the
   * table looked small (before autovacuum analysed it) hash-joins the whole id table on every
   * append, and that cost grows with the table. The new ids go into {@code record_ids} in this
   * statement, so an id another statement stores meanwhile in another channel fails one of the two
   * on its primary key ({@link #raced}); inserted in id order, two statements sharing several ids
   * wait on each other in one direction only, not in a deadlock over them.
   */
  private static final String APPEND_RECORDS_TEMPLATE = """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::smallint[], $6::bigint[],
                             $7::text[], $8::text[], $9::text[], $10::text[], $14::boolean[], $15::text[], $16::text[],
                             $12::text[])
          WITH ORDINALITY AS t(channel, record_id, edge, data_type, priority, produced_at, sender, destination,
                               payload, blob_ref, export_result, export_channel, export_type, gateway, ord)),
      {old and fresh}
      counts AS (SELECT channel, count(*) AS n, (array_agg(sender ORDER BY ord))[1] AS first_sender
                 FROM fresh GROUP BY channel),
      advanced AS (
        INSERT INTO channels (channel, last_cursor, created_at, owner)
        SELECT channel, n, $11, first_sender FROM counts ORDER BY channel
        ON CONFLICT (channel) DO UPDATE SET last_cursor = channels.last_cursor + EXCLUDED.last_cursor
        RETURNING channel, last_cursor),
      inserted AS (
        INSERT INTO records (channel, cursor, record_id, edge, data_type, priority, produced_at, committed_at, sender,
                             destination, payload, blob_ref, gateway, core_node)
        SELECT f.channel, a.last_cursor - c.n + row_number() OVER (PARTITION BY f.channel ORDER BY f.ord),
               f.record_id, f.edge, f.data_type, f.priority, f.produced_at, $11, f.sender, f.destination, f.payload,
               f.blob_ref, f.gateway, $13
        FROM fresh f JOIN advanced a ON a.channel = f.channel JOIN counts c ON c.channel = f.channel
        RETURNING record_id, channel, cursor),
      recorded AS (
        INSERT INTO record_ids (record_id, channel, cursor)
        SELECT record_id, channel, cursor FROM inserted ORDER BY record_id),
      """;

  private static final String APPEND_RECORDS = APPEND_RECORDS_TEMPLATE.replace("{old and fresh}", """
      old AS (SELECT i.record_id, r.channel, r.cursor FROM input i,
              LATERAL (SELECT channel, cursor FROM record_ids WHERE record_id = i.record_id LIMIT 1) r),
      fresh AS (SELECT i.* FROM input i WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.record_id = i.record_id)),
      """);

  /**
   * The same without looking ids up first: every id is taken as new, and one already stored makes
   * the insert fail on the unique id ({@link #raced}). The look-up and the anti-join cost about a
   * third of a 1,000-record append, for duplicates that only retries bring.
   */
  private static final String APPEND_RECORDS_UNCHECKED = APPEND_RECORDS_TEMPLATE.replace("{old and fresh}", """
      old AS (SELECT NULL::uuid AS record_id, NULL::text AS channel, NULL::bigint AS cursor WHERE false),
      fresh AS (SELECT * FROM input),
      """);

  /**
   * Appends and queues the new records for the webhook sinks whose filter they match (E8, see
   * {@link ExportKey}), matched in the statement, so no sink misses a record committed after it
   * was created. Locking the matched sinks makes a sink deleted meanwhile drop out of the join
   * instead of failing the append on the outbox's foreign key.
   */
  private static final String QUEUING_FOR_SINKS = """
      exported AS (
        INSERT INTO sink_outbox (sink_id, record_id, next_attempt_at)
        SELECT s.sink_id, f.record_id, $11 FROM fresh f JOIN sinks s
          ON s.include <> CASE WHEN f.export_result THEN 'raw' ELSE 'results' END
         AND (s.channel IS NULL OR s.channel = f.export_channel)
         AND (s.data_type IS NULL OR s.data_type = f.export_type)
        WHERE f.export_channel IS NOT NULL
        FOR KEY SHARE OF s
        ON CONFLICT DO NOTHING)
      """;

  /**
   * Appends when no sink is expected; the insert into the outbox costs about a fifth of single-post
   * throughput even when it queues nothing. The guard divides by zero when a sink exists, so the
   * whole statement fails (see {@link #sinksAppeared}) rather than commit records a sink misses.
   * The answer must read the guard's column: a column nothing reads is not computed.
   */
  private static final String WITHOUT_SINKS = """
      guard AS (SELECT 1 / (1 - count(*)) AS ok FROM (SELECT 1 FROM sinks LIMIT 1) s)
      """;

  /**
   * The checked statements' answer: a row per distinct id, new or stored before; formatted with
   * a join and a condition on WITHOUT_SINKS' guard, which each part then computes.
   */
  private static final String ANSWER_PER_RECORD = """
      SELECT record_id, channel, cursor, false AS duplicate FROM inserted%1$s
      UNION ALL
      SELECT record_id, channel, cursor, true FROM old%1$s""";

  /**
   * The four append statements: ids looked up first or not, queuing for sinks or not. The
   * unchecked ones answer one row per channel, its new last cursor ({@link #assigned}), not a row
   * per record to build, send and decode (decoding alone was 2.5 % of the node's CPU on batches).
   */
  private static final String CHECKED_QUEUING = APPEND_RECORDS + QUEUING_FOR_SINKS + ANSWER_PER_RECORD.formatted("");
  private static final String CHECKED_WITHOUT_SINKS = APPEND_RECORDS + WITHOUT_SINKS
      + ANSWER_PER_RECORD.formatted(", guard WHERE guard.ok = 1");
  private static final String UNCHECKED_QUEUING = APPEND_RECORDS_UNCHECKED + QUEUING_FOR_SINKS
      + "SELECT channel, last_cursor FROM advanced";
  private static final String UNCHECKED_WITHOUT_SINKS = APPEND_RECORDS_UNCHECKED + WITHOUT_SINKS
      + "SELECT channel, last_cursor, ok FROM advanced, guard";


  /**
   * True when an append failed because another statement stored one of its record ids while it
   * ran (unique violation): made again, it finds the id stored and answers it as a duplicate.
   */
  public static boolean raced(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** True when an append without sinks failed because a sink exists: append again queuing for sinks. */
  public static boolean sinksAppeared(Throwable failure) {
    return failure instanceof PgException pg && "22012".equals(pg.getSqlState());
  }

  /** Up to {@code limit} records of the channel strictly after {@code after}, in cursor order. */
  public Future<List<StoredRecord>> readAfter(String channel, long after, int limit) {
    return readAfter(pool, channel, after, limit);
  }

  /**
   * As {@link #readAfter(String, long, int)}, for a reader behind the head: {@code committed} is a
   * cursor known to be committed (the reader's head, or the newest record the cache holds; 0 when
   * none is known). When a whole page lies at or before it, the page is a catch-up read, which
   * the read pool serves (X2); else the primary, whose answer is never behind.
   */
  public Future<List<StoredRecord>> readAfter(String channel, long after, int limit, long committed) {
    if (reads == pool || committed - after < limit) {
      return readAfter(pool, channel, after, limit);
    }
    return replicaFirst(after, limit, (on, from, n) -> readAfter(on, channel, from, n));
  }

  private static Future<List<StoredRecord>> readAfter(Pool on, String channel, long after, int limit) {
    return on.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE channel = $1 AND cursor > $2 "
            + "ORDER BY cursor LIMIT $3")
        .execute(Tuple.of(channel, after, limit))
        .map(RecordStore::records);
  }

  /** One page of a query, on a given pool, after a cursor. */
  private interface PageQuery {
    Future<List<StoredRecord>> page(Pool on, long after, int limit);
  }

  /**
   * A page read on the read pool, completed from the primary when it comes back short. A replica
   * holds a prefix of the primary's commits, and a channel's cursors commit in order (appends take
   * them under the channel's row lock), so a replica's page is a gap-free start of the primary's:
   * a full one is the primary's own answer, and a short one may only lack what the replica has
   * not replayed yet, which the primary adds after the replica's last cursor. A replica that fails
   * the read (down, or a query cancelled by replay) counts as having nothing: the primary answers.
   */
  private Future<List<StoredRecord>> replicaFirst(long after, int limit, PageQuery query) {
    return query.page(reads, after, limit).otherwise(e -> {
      LOG.warn("read pool failed a page, reading it from the primary [cause: {}]", e.getMessage());
      return List.of();
    }).compose(page -> {
      if (page.size() >= limit) {
        return Future.succeededFuture(page);
      }
      long last = page.isEmpty() ? after : page.get(page.size() - 1).cursor();
      return query.page(pool, last, limit - page.size()).map(rest -> {
        List<StoredRecord> all = new ArrayList<>(page);
        all.addAll(rest);
        return all;
      });
    });
  }

  /** The channel's newest cursor, 0 when it has none. */
  public Future<Long> head(String channel) {
    return pool.preparedQuery("SELECT last_cursor FROM channels WHERE channel = $1").execute(Tuple.of(channel))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /**
   * Where a record came from and what came of it (S8): the record, its gateway and core node, the
   * site of its edge, and the result records that name it among their inputs; null if no such
   * record. Results are found in the channel's result channel by their inputs list.
   */
  public Future<Lineage> lineage(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("SELECT " + COLUMNS_OF_R + ", r.gateway, r.core_node, n.site FROM " + BY_ID
            + " LEFT JOIN nodes n ON n.node_id = r.edge WHERE i.record_id = $1")
        .execute(Tuple.of(uuid))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          Row row = rows.iterator().next();
          StoredRecord r = record(row, 0);
          return pool.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE channel = $1 AND payload LIKE $2 "
                  + "ORDER BY cursor LIMIT 100")
              .execute(Tuple.of(tributary.processing.ResultChannels.results(r.channel()), "%\"" + id + "\"%"))
              .map(results -> new Lineage(r, row.getString(12), row.getString(13), row.getString(14),
                  records(results)));
        });
  }

  /** A record with the gateway and core that carried it, its edge's site, and the results made from it. */
  public record Lineage(StoredRecord record, String gateway, String coreNode, String edgeSite,
      List<StoredRecord> results) {}

  /** One record by id, or null. */
  public Future<StoredRecord> byId(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery("SELECT " + COLUMNS_OF_R + " FROM " + BY_ID + " WHERE i.record_id = $1")
        .execute(Tuple.of(uuid))
        .map(rows -> rows.size() == 0 ? null : record(rows.iterator().next(), 0));
  }

  /**
   * A page of the records committed to a channel in [from, to) (Q7), in cursor order, after the
   * cursor of the previous page; read on the read pool (X2), see {@link #replicaFirst}.
   */
  public Future<List<StoredRecord>> readRange(String channel, long from, long to, long after, int limit) {
    PageQuery range = (on, start, n) -> on.preparedQuery("SELECT " + COLUMNS + " FROM records WHERE channel = $1 "
            + "AND committed_at >= $2 AND committed_at < $3 AND cursor > $4 ORDER BY cursor LIMIT $5")
        .execute(Tuple.of(channel, from, to, start, n))
        .map(RecordStore::records);
    return reads == pool ? range.page(pool, after, limit) : replicaFirst(after, limit, range);
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
  public static StoredRecord record(Row row, int at) {
    return new StoredRecord(row.getString(at), row.getLong(at + 1), row.getUUID(at + 2).toString(),
        row.getString(at + 3), row.getString(at + 4), row.getShort(at + 5), row.getLong(at + 6), row.getLong(at + 7),
        row.getString(at + 8), row.getString(at + 9), row.getString(at + 10), row.getString(at + 11));
  }
}
