package tributary.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.config.NodeConfig;

/**
 * Brings a schema to the migrations in {@code db/migration} with Flyway: applied in version order,
 * checksummed, validated at every start. Blocking (JDBC): run it off the event loop.
 *
 * <p>Schemas made before Flyway carry the names the old migrator applied in {@code
 * schema_migrations}, in the order of {@link #LEGACY_ORDER}. Such a schema is taken over once: the
 * legacy files it lacks are applied in that order, then Flyway's history starts at a baseline of the
 * highest version applied so, and nothing applied is run again.
 *
 * <p>The whole of it runs under an advisory lock per schema (the key the old migrator took, so a
 * node of the old release starting beside a new one waits too): creating the schema and the
 * takeover are outside Flyway's own lock, which still guards each migration run.
 */
public final class SchemaMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
  static final String LOCATION = "classpath:db/migration";
  private static final String LEGACY_TABLE = "schema_migrations";
  private static final String HISTORY_TABLE = "flyway_schema_history";

  /** The old migrator's list, frozen: the order in which it applied these files. */
  public static final List<String> LEGACY_ORDER = List.of(
      "V1__foundation.sql", "V2__pipeline.sql", "V3__channel_access.sql", "V4__storage.sql",
      "V5__record_archive.sql", "V6__channel_writers.sql", "V7__dispatch.sql",
      "V8__node_status_commands.sql", "V9__token_lifecycle.sql", "V10__channel_cache_switch.sql",
      "V11__edge_result_hooks.sql", "V12__node_numbers.sql", "V13__copy_deleted_reason.sql",
      "V18__node_addresses_and_grant_hooks.sql", "V14__task_windows_and_priorities.sql",
      "V15__media_seconds.sql");

  private SchemaMigrations() {}

  /** Migrates the node's schema; returns how many migrations were applied now. */
  public static int migrate(NodeConfig config) {
    return migrate(config.pgUrlOrFail(), config.pgSchema());
  }

  /** Migrates one schema of the PostgreSQL at {@code pgUrl} (a node's pg-url). */
  public static int migrate(String pgUrl, String schema) {
    return migrate(PgJdbc.of(pgUrl), schema, LOCATION);
  }

  static int migrate(PgJdbc jdbc, String schema, String... locations) {
    try (Connection lock = jdbc.connect()) {
      advisoryLock(lock, schema);
      int legacyApplied = takeOverLegacy(lock, jdbc, schema, locations);
      Flyway flyway = flyway(jdbc, schema, locations).load();
      try {
        return legacyApplied + flyway.migrate().migrationsExecuted;
      } catch (FlywayException e) {
        String changed = e.getMessage().contains("checksum mismatch")
            ? " (an applied migration must never change: restore the file as it was applied; a change is a new"
                + " V<n>__*.sql)" : "";
        throw new IllegalStateException("schema '" + schema + "' cannot be migrated: " + e.getMessage() + changed, e);
      }
      // Closing the connection releases the session's advisory lock.
    } catch (SQLException e) {
      throw new IllegalStateException("schema '" + schema + "' cannot be migrated: " + e.getMessage(), e);
    }
  }

  private static FluentConfiguration flyway(PgJdbc jdbc, String schema, String... locations) {
    return Flyway.configure()
        .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .locations(locations)
        .table(HISTORY_TABLE)
        // A fresh schema gets all its migrations in one transaction, as with the old migrator.
        .group(true)
        .validateOnMigrate(true)
        // A misnamed file (V19_x.sql, one underscore) would otherwise be skipped without a word.
        .validateMigrationNaming(true);
  }

  private static void advisoryLock(Connection conn, String schema) throws SQLException {
    try (PreparedStatement lock = conn.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
      lock.setString(1, "tributary-migrate:" + schema);
      lock.execute();
    }
  }

  /** Applies the legacy files a pre-Flyway schema lacks and baselines Flyway; 0 on any other schema. */
  private static int takeOverLegacy(Connection conn, PgJdbc jdbc, String schema, String... locations)
      throws SQLException {
    if (!exists(conn, schema, LEGACY_TABLE) || exists(conn, schema, HISTORY_TABLE)) {
      return 0;
    }
    Set<String> applied = new HashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rows = st.executeQuery("SELECT name FROM " + schema + "." + LEGACY_TABLE)) {
      while (rows.next()) {
        applied.add(rows.getString(1));
      }
    }
    List<String> missing = new ArrayList<>(LEGACY_ORDER);
    missing.removeAll(applied);
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute("SET LOCAL search_path TO " + schema);
      for (String name : missing) {
        LOG.info("applying legacy migration before the takeover [schema: {}, migration: {}]", schema, name);
        st.execute(resource("db/migration/" + name));
        try (PreparedStatement record = conn.prepareStatement(
            "INSERT INTO " + schema + "." + LEGACY_TABLE + " (name) VALUES (?)")) {
          record.setString(1, name);
          record.execute();
        }
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
    applied.addAll(missing);
    // A newer legacy list (a V19 through index.txt) may have run more than the frozen one knows.
    String baseline = String.valueOf(applied.stream().mapToInt(SchemaMigrations::version).max().orElse(0));
    flyway(jdbc, schema, locations).baselineVersion(baseline)
        .baselineDescription("taken over from " + LEGACY_TABLE).load().baseline();
    LOG.info("schema taken over by Flyway [schema: {}, legacy migrations applied now: {}, baseline: {}]",
        schema, missing.size(), baseline);
    return missing.size();
  }

  /** The version of a migration file name: 14 for {@code V14__task_windows.sql}. */
  static int version(String name) {
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }

  private static boolean exists(Connection conn, String schema, String table) throws SQLException {
    try (PreparedStatement st = conn.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      st.setString(1, schema + "." + table);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static String resource(String path) {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
