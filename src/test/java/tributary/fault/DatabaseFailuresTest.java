package tributary.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** How a failure of PostgreSQL is read: never reached, lost under a statement, or refused by it. */
class DatabaseFailuresTest {
  @Test
  void aConnectionResetByARestartingServerIsUnavailableAndMayHaveCommitted() {
    // Seen in the fault suite's PostgreSQL restart: answered 500 before, now 503 (X7).
    SocketException reset = new SocketException("Connection reset");
    assertTrue(DatabaseFailures.unavailable(reset));
    assertTrue(DatabaseFailures.unavailable(new RuntimeException("wrapped", reset)));
    assertFalse(DatabaseFailures.notReached(reset), "the statement may have reached the server");
    assertTrue(DatabaseFailures.mayHaveCommitted(reset));
  }

  @Test
  void aServerShuttingDownRefusesBeforeAnythingRuns() {
    PgException shuttingDown = new PgException("the database system is shutting down", "FATAL", "57P03", null);
    assertTrue(DatabaseFailures.notReached(shuttingDown));
    assertTrue(DatabaseFailures.unavailable(shuttingDown));
    assertFalse(DatabaseFailures.mayHaveCommitted(shuttingDown));
    assertTrue(DatabaseFailures.notReached(new ConnectException("Connection refused")));
  }

  @Test
  void aStatementTheServerRejectedIsNeitherUnavailableNorPossiblyCommitted() {
    PgException unique = new PgException("duplicate key value", "ERROR", "23505", null);
    assertFalse(DatabaseFailures.unavailable(unique));
    assertFalse(DatabaseFailures.mayHaveCommitted(unique));
  }
}
