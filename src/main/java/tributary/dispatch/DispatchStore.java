package tributary.dispatch;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import tributary.bus.CommitReceipt;

/** Dispatch tasks and their attempts in PostgreSQL (D3, D6, D7): the durable truth of every task. */
public final class DispatchStore {
  private static final String TASK_COLUMNS = "t.task_id, t.sender, t.dest, t.data_type, t.level, t.content_type, "
      + "p.payload, t.created_at, t.source_worker";
  private static final String VIEW_COLUMNS = "task_id, sender, dest, data_type, level, content_type, size, "
      + "source_worker, created_at, created_by, state, attempts, flagged, next_attempt_at, last_error, delivered_at, "
      + "delivered_by, user_cursor, consumed_at";

  private final Pool pool;

  public DispatchStore(Pool pool) {
    this.pool = pool;
  }

  /** A task to store: as queued, or as retrying when its destination is failing. */
  public record NewTask(DispatchMessages.Task task, String createdBy, boolean retrying) {}

  /**
   * Stores new tasks in one statement (tasks submitted together commit together). Ids are unique
   * per worker by construction; one taken already (a worker restarted within the millisecond)
   * fails the statement with a unique violation, see {@link #isIdTaken}.
   */
  public Future<Void> insert(List<NewTask> tasks) {
    int n = tasks.size();
    String[] ids = new String[n];
    String[] senders = new String[n];
    String[] dests = new String[n];
    String[] types = new String[n];
    Short[] levels = new Short[n];
    String[] contentTypes = new String[n];
    Integer[] sizes = new Integer[n];
    Buffer[] payloads = new Buffer[n];
    Integer[] workers = new Integer[n];
    Long[] created = new Long[n];
    String[] createdBy = new String[n];
    String[] states = new String[n];
    for (int i = 0; i < n; i++) {
      DispatchMessages.Task t = tasks.get(i).task();
      ids[i] = t.taskId();
      senders[i] = t.sender();
      dests[i] = t.dest();
      types[i] = t.dataType();
      levels[i] = (short) t.level();
      contentTypes[i] = t.contentType();
      sizes[i] = t.payload().length;
      payloads[i] = Buffer.buffer(t.payload());
      workers[i] = t.sourceWorker();
      created[i] = t.createdAt();
      createdBy[i] = tasks.get(i).createdBy();
      states[i] = tasks.get(i).retrying() ? "retrying" : "queued";
    }
    return pool.preparedQuery("WITH task AS (INSERT INTO dispatch_tasks (task_id, sender, dest, data_type, level, "
            + "content_type, size, source_worker, created_at, created_by, state) SELECT * FROM unnest($1::text[], "
            + "$2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::int[], $9::int[], $10::bigint[], "
            + "$11::text[], $12::text[]) RETURNING task_id) "
            + "INSERT INTO dispatch_payloads (task_id, payload) SELECT * FROM unnest($1::text[], $8::bytea[])")
        .execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(senders).addArrayOfString(dests)
            .addArrayOfString(types).addArrayOfShort(levels).addArrayOfString(contentTypes).addArrayOfInteger(sizes)
            .addArrayOfBuffer(payloads).addArrayOfInteger(workers).addArrayOfLong(created)
            .addArrayOfString(createdBy).addArrayOfString(states))
        .mapEmpty();
  }

  /** Whether a failed insert failed because a task id was taken. */
  public static boolean isIdTaken(Throwable failure) {
    return tributary.fault.DatabaseFailures.uniqueViolation(failure);
  }

  /** The tasks a worker still has to deliver (after a restart), oldest first. */
  public Future<List<DispatchMessages.Task>> backlog(int sourceWorker) {
    return pool.preparedQuery("SELECT " + TASK_COLUMNS + " FROM dispatch_tasks t JOIN dispatch_payloads p "
            + "ON p.task_id = t.task_id WHERE t.source_worker = $1 AND t.state IN ('queued', 'sending', 'retrying') "
            + "ORDER BY t.created_at, t.task_id")
        .execute(Tuple.of(sourceWorker))
        .map(rows -> {
          List<DispatchMessages.Task> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new DispatchMessages.Task(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                r.getShort(4), r.getString(5), r.getBuffer(6).getBytes(), r.getLong(7), r.getInteger(8)));
          }
          return out;
        });
  }

  /**
   * A failed attempt for each task still undelivered: counted, its error kept, the task marked
   * retrying (and flagged past {@code flagAfter} attempts).
   */
  public Future<Void> failed(List<DispatchMessages.Task> tasks, String nodeId, String error, long now,
      long nextAttemptAt, int flagAfter) {
    return pool.preparedQuery("WITH counted AS (UPDATE dispatch_tasks SET attempts = attempts + 1, state = 'retrying', "
            + "last_error = $3, next_attempt_at = $5, flagged = attempts + 1 >= $6 "
            + "WHERE task_id = ANY($1) AND created_at = ANY($7) AND state IN ('queued', 'sending', 'retrying') "
            + "RETURNING task_id, attempts) "
            + "INSERT INTO dispatch_attempts (task_id, attempt, at, node_id, error) "
            + "SELECT task_id, attempts, $4, $2, $3 FROM counted ON CONFLICT DO NOTHING")
        .execute(Tuple.of(ids(tasks), nodeId, error, now, nextAttemptAt, flagAfter, createdAt(tasks)))
        .mapEmpty();
  }

  /** Tasks on their way to their destination's worker (unless delivered meanwhile). */
  public Future<Void> sending(List<DispatchMessages.Task> tasks) {
    return pool.preparedQuery("UPDATE dispatch_tasks SET state = 'sending' "
            + "WHERE task_id = ANY($1) AND created_at = ANY($2) AND state IN ('queued', 'retrying')")
        .execute(Tuple.of(ids(tasks), createdAt(tasks)))
        .mapEmpty();
  }

  private static String[] ids(List<DispatchMessages.Task> tasks) {
    return tasks.stream().map(DispatchMessages.Task::taskId).toArray(String[]::new);
  }

  /**
   * The tasks' creation times: given beside their ids, they let PostgreSQL look only in the days
   * that hold them (V19 partitions the tasks by day); by id alone, it looks in every day's index.
   */
  private static Long[] createdAt(List<DispatchMessages.Task> tasks) {
    return tasks.stream().map(DispatchMessages.Task::createdAt).toArray(Long[]::new);
  }

  /**
   * A destination worker started failing: every task of this worker still queued for it now waits
   * for a retry, and shows so.
   */
  public Future<Void> waitingForRetry(int sourceWorker, int destinationWorker) {
    return pool.preparedQuery("UPDATE dispatch_tasks t SET state = 'retrying' FROM dispatch_bindings b "
            + "WHERE b.user_id = t.dest AND b.worker_number = $2 AND t.source_worker = $1 AND t.state = 'queued'")
        .execute(Tuple.of(sourceWorker, destinationWorker))
        .mapEmpty();
  }

  /**
   * Marks tasks delivered at their users' cursors, in the transaction that put them in the
   * queues. A task delivered before (a retry after a lost answer) keeps its first delivery.
   */
  public static Future<Void> delivered(SqlClient conn, List<CommitReceipt.Committed> receipt,
      List<DispatchMessages.Task> tasks, String nodeId, long now) {
    Long[] cursors = new Long[tasks.size()];
    for (int i = 0; i < tasks.size(); i++) {
      cursors[i] = receipt.get(i).cursor();
    }
    return conn.preparedQuery("UPDATE dispatch_tasks t SET state = CASE WHEN t.state = 'consumed' THEN t.state "
            + "ELSE 'delivered' END, attempts = CASE WHEN t.delivered_at IS NULL THEN t.attempts + 1 ELSE t.attempts END, "
            + "delivered_at = coalesce(t.delivered_at, $3), delivered_by = coalesce(t.delivered_by, $4), "
            + "user_cursor = u.cursor, next_attempt_at = NULL "
            + "FROM unnest($1::text[], $2::bigint[]) AS u(task_id, cursor) WHERE t.task_id = u.task_id "
            + "AND t.created_at = ANY($5)")
        .execute(Tuple.of(ids(tasks), cursors, now, nodeId, createdAt(tasks)))
        .mapEmpty();
  }

  /** The user consumed everything up to {@code upTo}; answers how many tasks that consumed now. */
  public Future<Integer> ack(String userId, long upTo, long now) {
    return pool.preparedQuery("UPDATE dispatch_tasks SET state = 'consumed', consumed_at = $3 "
            + "WHERE dest = $1 AND state = 'delivered' AND user_cursor <= $2")
        .execute(Tuple.of(userId, upTo, now))
        .map(rows -> rows.rowCount());
  }

  /** Delivered and not yet consumed, over the users bound to a worker: its user-queue backlog (D8). */
  public Future<Long> unconsumed(int worker) {
    return pool.preparedQuery("SELECT count(*) FROM dispatch_tasks t JOIN dispatch_bindings b ON b.user_id = t.dest "
            + "WHERE b.worker_number = $1 AND t.state = 'delivered'")
        .execute(Tuple.of(worker))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** A delivered item's data, by its user and cursor; null if there is none. */
  public Future<Body> body(String userId, long cursor) {
    return pool.preparedQuery("SELECT t.content_type, p.payload FROM dispatch_tasks t JOIN dispatch_payloads p "
            + "ON p.task_id = t.task_id WHERE t.dest = $1 AND t.user_cursor = $2")
        .execute(Tuple.of(userId, cursor))
        .map(rows -> rows.size() == 0 ? null
            : new Body(rows.iterator().next().getString(0), rows.iterator().next().getBuffer(1)));
  }

  public record Body(String contentType, Buffer bytes) {}

  /** One task with its attempts, or null. */
  public Future<JsonObject> task(String taskId) {
    return Future.all(
            pool.preparedQuery("SELECT " + VIEW_COLUMNS + " FROM dispatch_tasks WHERE task_id = $1").execute(Tuple.of(taskId)),
            pool.preparedQuery("SELECT attempt, at, node_id, error FROM dispatch_attempts WHERE task_id = $1 ORDER BY attempt")
                .execute(Tuple.of(taskId)))
        .map(all -> {
          RowSet<Row> rows = all.resultAt(0);
          if (rows.size() == 0) {
            return null;
          }
          JsonArray attempts = new JsonArray();
          for (Row a : all.<RowSet<Row>>resultAt(1)) {
            attempts.add(new JsonObject().put("attempt", a.getInteger(0)).put("at", a.getLong(1))
                .put("node", a.getString(2)).put("error", a.getString(3)));
          }
          return view(rows.iterator().next()).put("failedAttempts", attempts);
        });
  }

  /** What a task list may be filtered by; null fields filter nothing. */
  public record Filter(String state, String sender, String dest, Integer level, Boolean flagged, String party) {}

  /**
   * A page of tasks in creation order after the task {@code after} (null: from the start);
   * {@code party}, when set, keeps the tasks it sent or received.
   */
  public Future<List<JsonObject>> list(Filter f, String after, int limit) {
    return pool.preparedQuery("SELECT " + VIEW_COLUMNS + " FROM dispatch_tasks t WHERE "
            + "($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR sender = $2) AND ($3::text IS NULL OR dest = $3) "
            + "AND ($4::smallint IS NULL OR level = $4) AND ($5::boolean IS NULL OR flagged = $5) "
            + "AND ($6::text IS NULL OR sender = $6 OR dest = $6) "
            + "AND ($7::text IS NULL OR (created_at, task_id) > "
            + "(SELECT created_at, task_id FROM dispatch_tasks WHERE task_id = $7)) "
            + "ORDER BY created_at, task_id LIMIT $8")
        .execute(Tuple.tuple().addString(f.state()).addString(f.sender()).addString(f.dest())
            .addValue(f.level() == null ? null : f.level().shortValue()).addBoolean(f.flagged()).addString(f.party())
            .addString(after).addInteger(limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(view(r)));
          return out;
        });
  }

  private static JsonObject view(Row r) {
    return new JsonObject().put("taskId", r.getString(0)).put("sender", r.getString(1)).put("dest", r.getString(2))
        .put("data", new JsonObject().put("type", r.getString(3)).put("level", r.getShort(4))
            .put("contentType", r.getString(5)).put("size", r.getInteger(6)))
        .put("sourceWorker", r.getInteger(7)).put("createdAt", r.getLong(8)).put("createdBy", r.getString(9))
        .put("state", r.getString(10)).put("attempts", r.getInteger(11)).put("flagged", r.getBoolean(12))
        .put("nextAttemptAt", r.getLong(13)).put("lastError", r.getString(14)).put("deliveredAt", r.getLong(15))
        .put("deliveredBy", r.getString(16)).put("userCursor", r.getLong(17)).put("consumedAt", r.getLong(18));
  }
}
