package tributary.bus;

import java.util.Objects;

/**
 * One record in transit (E3). The payload is inline JSON text (bounded by max-payload-bytes) or,
 * for large data, a blob reference; exactly one of the two is set.
 *
 * @param id unique id assigned at the edge; core de-duplicates by it
 * @param edge node id of the edge that accepted it, where results return
 * @param priority 0 (highest) to 9
 * @param producedAt epoch milliseconds at which the edge accepted the record
 * @param sender user id of the producer
 * @param destination optional addressee (user or channel), null when none
 */
public record Envelope(
    String id,
    String edge,
    String channel,
    String dataType,
    int priority,
    long producedAt,
    String sender,
    String destination,
    String payload,
    String blobRef) {

  /** Envelope protocol version carried on the wire and granted to edges at registration. */
  public static final int PROTOCOL_VERSION = 1;
  public static final int LOWEST_PRIORITY = 9;

  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(sender, "sender");
    if (priority < 0 || priority > LOWEST_PRIORITY) {
      throw new IllegalArgumentException("priority must be 0.." + LOWEST_PRIORITY + ", got " + priority);
    }
    if ((payload == null) == (blobRef == null)) {
      throw new IllegalArgumentException("exactly one of payload and blobRef must be set");
    }
  }
}
