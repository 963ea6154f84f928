package tributary.bus;

import java.util.List;
import java.util.Objects;

/**
 * Envelopes that travel and commit together; all or none of them are acknowledged. They came in
 * one HTTP request, whose id ({@code X-Request-Id}) travels with them to core for the log lines
 * about them (X4): one reference per batch, nothing per record.
 */
public record EnvelopeBatch(String requestId, List<Envelope> envelopes) {
  /** Wire form of a batch: bumped when its fields change (v2 added the request id). */
  public static final int WIRE_VERSION = 2;

  public EnvelopeBatch {
    Objects.requireNonNull(requestId, "requestId");
    envelopes = List.copyOf(envelopes);
    if (envelopes.isEmpty()) {
      throw new IllegalArgumentException("an envelope batch is never empty");
    }
  }

  /** The most urgent priority in the batch, which decides its queue at a gateway. */
  public int priority() {
    int best = Envelope.LOWEST_PRIORITY;
    for (Envelope e : envelopes) {
      best = Math.min(best, e.priority());
    }
    return best;
  }

  /** The first envelope's id, which log lines name for the batch. */
  public String firstId() {
    return envelopes.get(0).id();
  }
}
