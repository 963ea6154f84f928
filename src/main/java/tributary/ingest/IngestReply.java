package tributary.ingest;

import java.util.List;
import tributary.bus.CommitReceipt;

/**
 * The edge's answer to an {@link IngestRequest}: the commit receipt, or, when the outcome is
 * unknown (core may have committed but did not say so in time), the ids of the records sent. A
 * retry with the same ids or idempotency key stores nothing twice and answers their cursors.
 *
 * @param receipt the records' cursors, or null when the outcome is unknown
 * @param unknownIds the ids whose commit is unknown, or null when there is a receipt
 */
public record IngestReply(String idempotencyKey, CommitReceipt receipt, List<String> unknownIds) {
  public static IngestReply committed(String idempotencyKey, CommitReceipt receipt) {
    return new IngestReply(idempotencyKey, receipt, null);
  }

  public static IngestReply unknown(String idempotencyKey, List<String> ids) {
    return new IngestReply(idempotencyKey, null, List.copyOf(ids));
  }
}
