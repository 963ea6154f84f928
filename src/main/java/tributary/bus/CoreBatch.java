package tributary.bus;

import java.util.List;

/**
 * What a gateway forwards to core: several edge batches committed in one transaction (group
 * commit), each keeping its own boundary so one bad batch is refused without touching the others.
 * The gateway's node id travels along, so each record's provenance names its gateway (S8).
 */
public record CoreBatch(String gateway, List<EnvelopeBatch> groups) {
  public CoreBatch {
    groups = List.copyOf(groups);
  }

  public int envelopeCount() {
    int n = 0;
    for (EnvelopeBatch g : groups) {
      n += g.envelopes().size();
    }
    return n;
  }
}
