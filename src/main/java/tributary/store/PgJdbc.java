package tributary.store;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The JDBC form of a node's pg-url, for the work done over JDBC (migrations, the embedded
 * database's upgrade): the same host, port, database, user, password and sslmode as the node's pool.
 */
public record PgJdbc(String url, String user, String password) {
  public static PgJdbc of(String pgUrl) {
    return of(PgConnectOptions.fromUri(pgUrl));
  }

  static PgJdbc of(PgConnectOptions pg) {
    String host = pg.getHost().contains(":") ? "[" + pg.getHost() + "]" : pg.getHost();
    return new PgJdbc("jdbc:postgresql://" + host + ":" + pg.getPort() + "/"
        + URLEncoder.encode(pg.getDatabase(), StandardCharsets.UTF_8)
        + "?sslmode=" + pg.getSslMode().value + "&ApplicationName=tributary-migrate",
        pg.getUser(), pg.getPassword());
  }

  public Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(url, props);
  }
}
