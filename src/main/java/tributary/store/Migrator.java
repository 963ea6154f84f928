package tributary.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL files listed in {@code db/migration/index.txt}, each once, in order. All of it
 * runs in one transaction under an advisory lock keyed by the schema, so nodes that start together
 * wait for each other instead of racing.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final String INDEX = "db/migration/index.txt";

  private Migrator() {}

  /** The migration files in order, read from the class path. */
  public static List<Migration> migrations() {
    List<Migration> list = new ArrayList<>();
    for (String line : resource(INDEX).split("\n")) {
      String name = line.trim();
      if (!name.isEmpty()) {
        list.add(new Migration(name, resource("db/migration/" + name)));
      }
    }
    return list;
  }

  public static Future<Integer> migrate(Pool pool, String schema) {
    return migrate(pool, schema, migrations());
  }

  /** Applies those of {@code migrations} not applied yet: all of them, or a first part of them (a test's older schema). */
  public static Future<Integer> migrate(Pool pool, String schema, List<Migration> migrations) {
    return pool.withTransaction(conn -> conn.query("SET LOCAL client_min_messages TO warning").execute()
        .compose(v -> conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
            .execute(Tuple.of("tributary-migrate:" + schema)))
        .compose(v -> conn.query("CREATE SCHEMA IF NOT EXISTS " + schema).execute())
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS " + schema + ".schema_migrations ("
            + "name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT name FROM " + schema + ".schema_migrations").execute())
        .compose(rows -> {
          Set<String> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getString(0));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (Migration m : migrations) {
            if (!applied.contains(m.name())) {
              chain = chain.compose(n -> apply(conn, schema, m).map(n + 1));
            }
          }
          return chain;
        }));
  }

  private static Future<Void> apply(SqlConnection conn, String schema, Migration m) {
    LOG.info("applying migration [schema: {}, migration: {}]", schema, m.name());
    return conn.query("SET LOCAL search_path TO " + schema).execute()
        .compose(v -> conn.query(m.sql()).execute())
        .compose(v -> conn.preparedQuery("INSERT INTO " + schema + ".schema_migrations (name) VALUES ($1)")
            .execute(Tuple.of(m.name())))
        .mapEmpty();
  }

  private static String resource(String path) {
    try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  public record Migration(String name, String sql) {}
}
