package tributary.command;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands to nodes (D9). A node claims its oldest queued command with one conditional update
 * (queued to running), so a command runs once however many fetches race for it; the node then
 * records how it ended.
 */
public final class NodeCommandStore {
  private static final String COLUMNS = "command_id, node_id, command, args, state, output, issued_by, created_at, "
      + "started_at, finished_at, run_by";
  private final Pool pool;

  public NodeCommandStore(Pool pool) {
    this.pool = pool;
  }

  /** A command as stored, with its state, output and times (epoch ms; null until they happen). */
  public record Command(long id, String nodeId, String command, JsonObject args, CommandState state, String output,
      String issuedBy, long createdAt, Long startedAt, Long finishedAt, String runBy) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("nodeId", nodeId).put("command", command).put("args", args)
          .put("state", state.id()).put("output", output).put("issuedBy", issuedBy).put("createdAt", createdAt)
          .put("startedAt", startedAt).put("finishedAt", finishedAt).put("runBy", runBy);
    }

    public NodeCommand parsed() {
      return NodeCommand.parse(new JsonObject().put("command", command).put("args", args));
    }
  }

  public Future<Command> issue(String nodeId, NodeCommand command, String issuedBy, long now) {
    return pool.preparedQuery("INSERT INTO node_commands (node_id, command, args, state, issued_by, created_at) "
            + "VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING " + COLUMNS)
        .execute(Tuple.of(nodeId, command.kind().id(), command.args(), issuedBy, now))
        .map(NodeCommandStore::first);
  }

  /**
   * Moves the node's oldest queued command to running and returns it, or null when none is
   * queued. The outer {@code state = 'queued'} is what makes the claim safe: a fetch that waited
   * on the row re-checks it and claims nothing; SKIP LOCKED lets it take the next command instead.
   */
  public Future<Command> claim(String nodeId, String runBy, long now) {
    return pool.preparedQuery("UPDATE node_commands SET state = 'running', started_at = $3, run_by = $2 "
            + "WHERE command_id = (SELECT command_id FROM node_commands WHERE node_id = $1 AND state = 'queued' "
            + "ORDER BY command_id LIMIT 1 FOR UPDATE SKIP LOCKED) AND state = 'queued' RETURNING " + COLUMNS)
        .execute(Tuple.of(nodeId, runBy, now))
        .map(NodeCommandStore::first);
  }

  /** Records how a running command ended; false when it was not running (already finished). */
  public Future<Boolean> finish(long commandId, CommandState state, String output, long now) {
    if (!CommandState.RUNNING.mayBecome(state)) {
      return Future.failedFuture(new IllegalArgumentException("a command ends done or failed, not " + state.id()));
    }
    return pool.preparedQuery("UPDATE node_commands SET state = $2, output = $3, finished_at = $4 "
            + "WHERE command_id = $1 AND state = 'running'")
        .execute(Tuple.of(commandId, state.id(), output, now))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Fails the commands a process of this node left running when it stopped; returns how many. */
  public Future<Integer> failInterrupted(String nodeId, String runBy, long now) {
    return pool.preparedQuery("UPDATE node_commands SET state = 'failed', finished_at = $3, "
            + "output = 'interrupted: the node stopped while it ran' WHERE node_id = $1 AND state = 'running' "
            + "AND run_by = $2")
        .execute(Tuple.of(nodeId, runBy, now))
        .map(rows -> rows.rowCount());
  }

  /** The node's commands, newest first, with ids below {@code before}. */
  public Future<List<Command>> list(String nodeId, long before, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM node_commands WHERE node_id = $1 AND command_id < $2 "
            + "ORDER BY command_id DESC LIMIT $3")
        .execute(Tuple.of(nodeId, before, limit))
        .map(rows -> {
          List<Command> out = new ArrayList<>();
          rows.forEach(row -> out.add(command(row)));
          return out;
        });
  }

  private static Command first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : command(rows.iterator().next());
  }

  private static Command command(Row row) {
    Object args = row.getValue(3);
    return new Command(row.getLong(0), row.getString(1), row.getString(2),
        args instanceof JsonObject json ? json : new JsonObject(String.valueOf(args)), CommandState.parse(row.getString(4)),
        row.getString(5), row.getString(6), row.getLong(7), row.getLong(8), row.getLong(9), row.getString(10));
  }
}
