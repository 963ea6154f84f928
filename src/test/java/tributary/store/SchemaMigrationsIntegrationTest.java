package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.LegacySchema;
import tributary.support.TestEnv;

/** Schema migrations through Flyway on the real PostgreSQL, each test on a schema of its own. */
class SchemaMigrationsIntegrationTest {
  private static final PgJdbc JDBC = PgJdbc.of(TestEnv.PG_URL);
  private final String schema = new TestEnv().schema;

  @AfterEach
  void drop() throws SQLException {
    sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  @Test
  void aFreshSchemaGetsEveryFileInTheMigrationFolderOnceWithoutAnIndex() throws Exception {
    List<String> files = migrationFiles();
    assertEquals(files.size(), SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION));
    assertEquals(0, SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION), "nothing twice");
    assertEquals(files.stream().map(f -> String.valueOf(SchemaMigrations.version(f))).sorted().toList(),
        strings("SELECT version FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL"
            + " ORDER BY version"));
    assertEquals(List.of("text"), columnType("nodes", "pool_address"), "V18 applied in the schema");
  }

  @Test
  void aLegacySchemaIsTakenOverKeepingItsRowsAndRunningNothingTwice() throws Exception {
    // Made by the old migrator before V14 and V15: its files in its order, each name recorded.
    List<String> before = SchemaMigrations.LEGACY_ORDER.subList(0, SchemaMigrations.LEGACY_ORDER.indexOf(
        "V14__task_windows_and_priorities.sql"));
    LegacySchema.create(JDBC, schema, before);
    sql("INSERT INTO " + schema + ".channels (channel, last_cursor, created_at) VALUES ('kept', 7, 1)");

    // V1's CREATE TABLE run again would fail: the count says V14 and V15 alone ran of the legacy
    // list, then Flyway's own migrations after it (V19 on).
    long flywaysOwn = migrationFiles().stream().filter(f -> SchemaMigrations.version(f) > 18).count();
    assertEquals(2 + flywaysOwn, SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION));
    assertEquals(0, SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION));
    assertEquals(List.of("kept"), strings("SELECT channel FROM " + schema + ".channels"));
    assertEquals(List.of("smallint"), columnType("task_items", "priority"), "V14 applied");
    assertEquals(List.of("double precision"), columnType("blobs", "media_seconds"), "V15 applied");
    assertEquals(List.of("16"), strings("SELECT count(*) FROM " + schema + ".schema_migrations"));
    assertEquals("BASELINE 18", strings("SELECT type || ' ' || version FROM " + schema
        + ".flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank").get(0),
        "Flyway's history starts at the legacy list's end");
  }

  @Test
  void aChangedAppliedMigrationIsRefusedSayingWhich(@TempDir Path extra) throws Exception {
    Path probe = extra.resolve("V1000__probe.sql");
    Files.writeString(probe, "CREATE TABLE probe (id int);");
    String[] locations = {SchemaMigrations.LOCATION, "filesystem:" + extra};
    assertEquals(migrationFiles().size() + 1, SchemaMigrations.migrate(JDBC, schema, locations));

    Files.writeString(probe, "CREATE TABLE probe (id bigint);");
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> SchemaMigrations.migrate(JDBC, schema, locations));
    assertTrue(refused.getMessage().contains("checksum mismatch") && refused.getMessage().contains("1000")
        && refused.getMessage().contains("must never change"), refused.getMessage());
    assertEquals(List.of("integer"), columnType("probe", "id"), "the changed file did not run");
  }

  @Test
  void aMisnamedMigrationFileIsRefusedRatherThanSkipped(@TempDir Path extra) throws Exception {
    Files.writeString(extra.resolve("V1000_one_underscore.sql"), "CREATE TABLE probe (id int);");
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION, "filesystem:" + extra));
    assertTrue(refused.getMessage().contains("V1000_one_underscore.sql"), refused.getMessage());
  }

  @Test
  void twoNodesMigratingOneFreshSchemaAtOnceBothSucceedAndApplyEachFileOnce() throws Exception {
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
        () -> SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION));
    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(
        () -> SchemaMigrations.migrate(JDBC, schema, SchemaMigrations.LOCATION));
    int applied = first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS);
    assertEquals(migrationFiles().size(), applied, "one of them applied all, the other none");
    assertEquals(List.of(String.valueOf(migrationFiles().size())), strings("SELECT count(*) FROM " + schema
        + ".flyway_schema_history WHERE version IS NOT NULL"));
  }

  private List<String> columnType(String table, String column) throws SQLException {
    return strings("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema
        + "' AND table_name = '" + table + "' AND column_name = '" + column + "'");
  }

  private static List<String> migrationFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".sql")).toList();
    }
  }

  private static void sql(String sql) throws SQLException {
    try (Connection conn = JDBC.connect(); Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<String> strings(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection conn = JDBC.connect(); Statement st = conn.createStatement(); ResultSet rows = st.executeQuery(query)) {
      while (rows.next()) {
        out.add(rows.getString(1));
      }
    }
    return out;
  }
}
