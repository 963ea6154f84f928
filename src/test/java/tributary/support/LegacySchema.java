package tributary.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import tributary.store.PgJdbc;

/** A schema as the migrator before Flyway left it: its files applied in its order, each name in schema_migrations. */
public final class LegacySchema {
  private LegacySchema() {}

  public static void create(PgJdbc jdbc, String schema, List<String> files) throws SQLException, IOException {
    try (Connection conn = jdbc.connect(); Statement st = conn.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("CREATE TABLE " + schema + ".schema_migrations (name text PRIMARY KEY,"
          + " applied_at timestamptz NOT NULL DEFAULT now())");
      st.execute("SET search_path TO " + schema);
      for (String name : files) {
        st.execute(Files.readString(Path.of("src/main/resources/db/migration", name)));
        st.execute("INSERT INTO schema_migrations (name) VALUES ('" + name + "')");
      }
    }
  }
}
