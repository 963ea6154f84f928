package tributary.bus;

import java.util.List;

/** Acknowledgement of a committed envelope batch: each envelope's id and cursor, in batch order. */
public record CommitReceipt(List<Committed> records) {
  public CommitReceipt {
    records = List.copyOf(records);
  }

  /** @param duplicate true when the id had been committed before and this is that earlier cursor */
  public record Committed(String id, String channel, long cursor, boolean duplicate) {}
}
