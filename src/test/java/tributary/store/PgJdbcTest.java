package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

/** The JDBC connection that migrations use reaches what the node's pg-url names, TLS mode included. */
class PgJdbcTest {
  @Test
  void theNodesUrlBecomesTheSameJdbcTarget() {
    PgJdbc jdbc = PgJdbc.of(
        PgConnectOptions.fromUri("postgresql://app:s3cret@db.example:6543/tributary?sslmode=require"));
    assertEquals("jdbc:postgresql://db.example:6543/tributary?sslmode=require&ApplicationName=tributary-migrate",
        jdbc.url());
    assertEquals("app", jdbc.user());
    assertEquals("s3cret", jdbc.password());
  }

  @Test
  void withoutSslmodeTlsStaysOffAsInTheNodesPoolAndAnIpv6HostIsBracketed() {
    PgJdbc jdbc = PgJdbc.of(PgConnectOptions.fromUri("postgresql://postgres@[::1]:5432/test"));
    assertEquals("jdbc:postgresql://[::1]:5432/test?sslmode=disable&ApplicationName=tributary-migrate", jdbc.url());
  }
}
