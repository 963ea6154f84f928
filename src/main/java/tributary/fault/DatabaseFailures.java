package tributary.fault;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Set;

/**
 * Tells PostgreSQL being unreachable apart from a statement that failed. A request that never
 * reached the database (refused or timed-out connect, no pooled connection in time, a server that
 * turns connections away) changed nothing; one whose connection was lost may or may not have.
 */
public final class DatabaseFailures {
  /** The pool's message when no connection is free within its connection timeout. */
  static final String POOL_TIMEOUT = "Timeout waiting for connection";
  /** SQLSTATEs a server answers while refusing a new connection: nothing ran. */
  private static final Set<String> REFUSED = Set.of("08001", "08004", "53300", "57P03");
  /** SQLSTATEs of a connection lost or shut down under a statement: its outcome is unknown. */
  private static final Set<String> LOST = Set.of("08000", "08003", "08006", "57P01", "57P02");

  private DatabaseFailures() {}

  /** True when the database was never reached, so nothing the request asked for was done. */
  public static boolean notReached(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof ConnectException
          || e instanceof VertxException && POOL_TIMEOUT.equals(e.getMessage())
          || e instanceof PgException pg && REFUSED.contains(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the database could not be reached or its connection was lost: worth a retry later.
   * A connection reset by a restarting server surfaces as a bare {@link SocketException}.
   */
  public static boolean unavailable(Throwable failure) {
    if (notReached(failure)) {
      return true;
    }
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof ClosedConnectionException || e instanceof SocketException
          || e instanceof PgException pg && LOST.contains(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the database refused a value the request carried (SQLSTATE class 22, data
   * exception: a NUL byte in text, a number out of range, a malformed timestamp): the caller's
   * mistake, answered 400, never 500.
   */
  public static boolean badValue(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
        return true;
      }
    }
    return false;
  }

  /** True when a statement failed because a unique key was taken (SQLSTATE 23505). */
  public static boolean uniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /**
   * True when a failed statement may still have been committed: the database was reached and did
   * not refuse the statement with an error of its own (its connection was lost or timed out).
   */
  public static boolean mayHaveCommitted(Throwable failure) {
    if (notReached(failure)) {
      return false;
    }
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof PgException pg && !LOST.contains(pg.getSqlState())) {
        return false;
      }
    }
    return true;
  }
}
