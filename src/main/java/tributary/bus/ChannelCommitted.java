package tributary.bus;

import java.time.Instant;
import java.util.List;

/**
 * Published after records commit to a channel: the cursors {@code first..last} it committed and,
 * when they fit in a notice ({@link #carriesRecords()}), the records' public JSON in cursor order,
 * so that each node's live tail of the channel takes them from the notice instead of reading the
 * store once per reader. Cursors are dense, so a node that misses a notice sees the hole.
 * {@code sentAtMicros} (epoch microseconds) lets each node time the notice's way to its streams.
 */
public record ChannelCommitted(String channel, long first, long last, List<String> records, long sentAtMicros) {
  public ChannelCommitted {
    if (first < 1 || last < first) {
      throw new IllegalArgumentException("bad cursor range " + first + ".." + last);
    }
    records = List.copyOf(records);
    if (!records.isEmpty() && records.size() != last - first + 1) {
      throw new IllegalArgumentException(records.size() + " records for cursors " + first + ".." + last);
    }
  }

  /** A notice sent now. */
  public ChannelCommitted(String channel, long first, long last, List<String> records) {
    this(channel, first, last, records, epochMicros());
  }

  /** A notice that names the range only: the records were too large to carry. */
  public static ChannelCommitted range(String channel, long first, long last) {
    return new ChannelCommitted(channel, first, last, List.of());
  }

  public static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  public boolean carriesRecords() {
    return !records.isEmpty();
  }
}
