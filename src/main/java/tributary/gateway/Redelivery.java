package tributary.gateway;

import tributary.fault.Backoff;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;

/**
 * The gateway's choice after a forward to core failed (E4): redeliver after a wait while the
 * edge's attempt still waits for an answer (the edge waits two forward budgets per attempt, so
 * the gateway stops after one), since core de-duplicates by envelope id; else answer the edge.
 * Core's 503 is a definite refusal (its database is unreachable, nothing was committed) and so
 * is any 4xx: those are answered at once. A forward that may have been committed is never
 * answered as a refusal: the outcome is unknown (504).
 *
 * @param delayMs the wait before the batch is queued again, when {@code redeliver}
 * @param mayHaveCommitted whether this or an earlier forward may have been committed
 * @param answer what the edge is failed with, when not {@code redeliver}
 */
public record Redelivery(boolean redeliver, long delayMs, boolean mayHaveCommitted, Refusal answer) {
  /** Waits between redeliveries of a batch: 50 ms doubling to 1 s. */
  private static final Backoff BACKOFF = new Backoff(50, 1000);

  /**
   * @param attempts forwards of the batch that failed before this one
   * @param ageMs how long the batch has been at the gateway
   * @param budgetMs the forward budget of the batch
   */
  public static Redelivery after(Throwable cause, int attempts, boolean mayHaveCommitted, long ageMs, long budgetMs) {
    int status = BusFailures.recipientStatus(cause);
    boolean retriable = status < 0 || status >= 500 && status != 503;
    boolean unknown = mayHaveCommitted || BusFailures.mayHaveTakenEffect(cause);
    if (retriable && ageMs < budgetMs) {
      return new Redelivery(true, BACKOFF.delayMs(attempts + 1), unknown, null);
    }
    Refusal answer = unknown
        ? Refusal.of(BusFailures.OUTCOME_UNKNOWN, "core did not acknowledge in time; the batch may have been committed")
        : status >= 0 ? Refusal.of(status, cause.getMessage())
        : Refusal.of(503, "no core took the batch; nothing of it was committed");
    return new Redelivery(false, 0, unknown, answer);
  }
}
