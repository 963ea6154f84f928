package tributary.bus;

import java.util.List;

/** Records just committed to one channel, in cursor order, for the cache and live readers. */
public record ChannelAppend(String channel, List<StoredRecord> records) {
  public ChannelAppend {
    records = List.copyOf(records);
  }
}
