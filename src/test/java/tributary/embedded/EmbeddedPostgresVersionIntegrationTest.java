package tributary.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.cli.Cli;
import tributary.cli.CliIo;
import tributary.store.PgJdbc;
import tributary.store.SchemaMigrations;
import tributary.support.LegacySchema;

/** Issue 19: the embedded PostgreSQL is 17; a data folder an earlier release made with 14 is refused, then upgraded. */
class EmbeddedPostgresVersionIntegrationTest {
  @TempDir
  Path dir;

  @Test
  void aFreshDataFolderRunsPostgres17() throws Exception {
    try (EmbeddedServices services = new EmbeddedServices(dir)) {
      services.start(true, false);
      assertTrue(query(services.pgUrl(), "SHOW server_version").get(0).startsWith("17."));
    }
    assertEquals("17", Files.readString(dir.resolve("postgres/PG_VERSION")).trim());
  }

  @Test
  void aFolderOfPostgres14IsRefusedUntouchedThenUpgradedKeepingItsRowsAndABackup() throws Exception {
    // As the previous release left it: PostgreSQL 14, the old migrator's schema, rows, a used sequence.
    try (EmbeddedPostgres old = EmbeddedServices.postgres(dir, dir.resolve("postgres"))
        .setPgBinaryResolver((system, machine) -> getClass().getClassLoader()
            .getResourceAsStream(UpgradeEmbeddedDb.OLD_BINARIES)).start()) {
      String url = EmbeddedServices.url(old);
      assertTrue(query(url, "SHOW server_version").get(0).startsWith("14."));
      LegacySchema.create(PgJdbc.of(url), "tributary", SchemaMigrations.LEGACY_ORDER);
      query(url, "INSERT INTO tributary.channels (channel, last_cursor, created_at)"
          + " SELECT 'ch-' || i, i, 1 FROM generate_series(1, 500) i RETURNING 1");
      query(url, "SELECT nextval('tributary.node_numbers') FROM generate_series(1, 3)");
    }

    IOException refused = assertThrows(IOException.class, () -> new EmbeddedServices(dir).start(true, false));
    assertTrue(refused.getMessage().contains("made by PostgreSQL 14")
        && refused.getMessage().contains("tributary admin upgrade-embedded-db --data-dir " + dir.toAbsolutePath()),
        refused.getMessage());
    assertEquals("14", Files.readString(dir.resolve("postgres/PG_VERSION")).trim(), "nothing changed");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"admin", "upgrade-embedded-db", "--data-dir", dir.toString()},
        new CliIo(InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("[tributary], 501 rows"), err.toString(StandardCharsets.UTF_8));

    try (EmbeddedServices services = new EmbeddedServices(dir)) {
      services.start(true, false);
      String url = services.pgUrl();
      assertTrue(query(url, "SHOW server_version").get(0).startsWith("17."));
      assertEquals(List.of("500", "125250"), query(url, "SELECT count(*)::text FROM tributary.channels"
          + " UNION ALL SELECT sum(last_cursor)::text FROM tributary.channels"), "every row, each as it was");
      assertEquals(List.of("4"), query(url, "SELECT nextval('tributary.node_numbers')"), "the sequence went on");
      assertEquals(List.of("1"), query(url, "SELECT count(*) FROM tributary.dispatch_topology"), "seeded rows once");
      assertEquals(0, SchemaMigrations.migrate(url, "tributary"), "the node's start finds the schema current");
    }
    assertEquals("14", Files.readString(dir.resolve(UpgradeEmbeddedDb.BACKUP_FOLDER + "/PG_VERSION")).trim());
    assertFalse(Files.exists(dir.resolve(UpgradeEmbeddedDb.NEW_FOLDER)));
  }

  private static List<String> query(String url, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection conn = PgJdbc.of(url).connect(); Statement st = conn.createStatement();
        ResultSet rows = st.executeQuery(sql)) {
      while (rows.next()) {
        out.add(rows.getString(1));
      }
    }
    return out;
  }
}
