package tributary.ingest;

import tributary.fault.Backoff;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;

/**
 * The edge's choice after a gateway attempt failed (E2, E4). A gateway that does not answer, is
 * gone, or fails on its side is replaced by the next one the bus offers, after a wait, while the
 * request's deadline allows; resending the same envelope ids is safe because core de-duplicates
 * them. A refusal such as 429 or 400 goes straight back to the client, and so does a gateway's
 * 503: it is alive and passes on a definite refusal (core's database is unreachable, or no core
 * took the batch), which another gateway would meet too. Once any attempt may have committed, a
 * failure is never answered as a refusal: the outcome is unknown.
 *
 * @param delayMs the wait before the next attempt, when the action is {@link Action#RETRY}
 * @param mayHaveCommitted whether this or an earlier attempt may have been committed
 * @param refusal what to answer, when the action is {@link Action#REFUSE}
 */
public record GatewayRetry(Action action, long delayMs, boolean mayHaveCommitted, Refusal refusal) {
  /** Waits between gateway attempts: 100 ms doubling to 1 s. */
  private static final Backoff BACKOFF = new Backoff(100, 1000);

  public enum Action { RETRY, UNKNOWN, REFUSE }

  /** How long an ingest request may take in all, across gateway attempts, given one hop's budget. */
  public static long deadlineMs(long forwardBudgetMs) {
    return 5 * forwardBudgetMs;
  }

  /**
   * @param attempt the attempt that failed, from 0
   * @param mayHaveCommitted whether an earlier attempt may have been committed
   */
  public static GatewayRetry after(Throwable failure, int attempt, boolean mayHaveCommitted, long now, long deadline) {
    boolean unknown = mayHaveCommitted || BusFailures.mayHaveTakenEffect(failure);
    Refusal error = BusFailures.classify(failure);
    long delayMs = BACKOFF.delayMs(attempt + 1);
    if (error.status() >= 500 && BusFailures.recipientStatus(failure) != 503 && now + delayMs < deadline) {
      return new GatewayRetry(Action.RETRY, delayMs, unknown, null);
    }
    return unknown ? new GatewayRetry(Action.UNKNOWN, 0, true, null) : new GatewayRetry(Action.REFUSE, 0, false, error);
  }
}
