package tributary.processing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/** Processing configuration per data type (E5). */
public final class ProcessorConfigStore {
  private final Pool pool;

  public ProcessorConfigStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Map<String, JsonObject>> all() {
    return pool.query("SELECT data_type, config FROM processor_configs ORDER BY data_type").execute().map(rows -> {
      Map<String, JsonObject> out = new LinkedHashMap<>();
      for (Row r : rows) {
        out.put(r.getString(0), new JsonObject(r.getString(1)));
      }
      return out;
    });
  }

  public Future<Void> put(String dataType, JsonObject config, long now) {
    return pool.preparedQuery("INSERT INTO processor_configs (data_type, config, updated_at) VALUES ($1, $2, $3) "
            + "ON CONFLICT (data_type) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at")
        .execute(Tuple.of(dataType, config.encode(), now))
        .mapEmpty();
  }

  /** True when a configuration was removed. */
  public Future<Boolean> delete(String dataType) {
    return pool.preparedQuery("DELETE FROM processor_configs WHERE data_type = $1").execute(Tuple.of(dataType))
        .map(rows -> rows.rowCount() == 1);
  }
}
