package tributary.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import tributary.bus.Envelope;
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

  /**
   * Stores records as an older release's append did, for a migration to take over: each takes the
   * next cursor of its channel and a row in records, committed at {@code committedAt}; nothing else
   * (the tables later migrations add stay as their migrations fill them).
   */
  public static void storeRecords(PgJdbc jdbc, String schema, List<Envelope> records, long committedAt)
      throws SQLException {
    try (Connection conn = jdbc.connect();
        PreparedStatement cursor = conn.prepareStatement("INSERT INTO " + schema + ".channels (channel, last_cursor, "
            + "created_at) VALUES (?, 1, ?) ON CONFLICT (channel) DO UPDATE SET last_cursor = "
            + "channels.last_cursor + 1 RETURNING last_cursor");
        PreparedStatement record = conn.prepareStatement("INSERT INTO " + schema + ".records (channel, cursor, "
            + "record_id, edge, data_type, priority, produced_at, committed_at, sender, payload) "
            + "VALUES (?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Envelope e : records) {
        cursor.setString(1, e.channel());
        cursor.setLong(2, committedAt);
        long next;
        try (ResultSet rs = cursor.executeQuery()) {
          rs.next();
          next = rs.getLong(1);
        }
        record.setString(1, e.channel());
        record.setLong(2, next);
        record.setString(3, e.id());
        record.setString(4, e.edge());
        record.setString(5, e.dataType());
        record.setShort(6, (short) e.priority());
        record.setLong(7, e.producedAt());
        record.setLong(8, committedAt);
        record.setString(9, e.sender());
        record.setString(10, e.payload());
        record.execute();
      }
    }
  }
}
