package tributary.bus;

import java.util.List;

/** Envelopes that travel and commit together; all or none of them are acknowledged. */
public record EnvelopeBatch(List<Envelope> envelopes) {
  public EnvelopeBatch {
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
}
