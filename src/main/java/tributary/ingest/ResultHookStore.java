package tributary.ingest;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** E6: the last result-feed cursor an edge's hook acknowledged, kept in PostgreSQL across restarts. */
public final class ResultHookStore {
  private final Pool pool;

  public ResultHookStore(Pool pool) {
    this.pool = pool;
  }

  /** The cursor to deliver after, or 0 for an edge whose hook never took anything. */
  public Future<Long> delivered(String edge) {
    return pool.preparedQuery("SELECT cursor FROM edge_hook_cursors WHERE edge = $1")
        .execute(Tuple.of(edge))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /** Records that the hook acknowledged everything up to {@code cursor}; never moves backwards. */
  public Future<Void> acknowledged(String edge, String hookUrl, long cursor, long now) {
    return pool.preparedQuery("INSERT INTO edge_hook_cursors (edge, hook_url, cursor, updated_at) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (edge) DO UPDATE SET hook_url = $2, cursor = greatest(edge_hook_cursors.cursor, $3), "
            + "updated_at = $4")
        .execute(Tuple.of(edge, hookUrl, cursor, now))
        .mapEmpty();
  }
}
