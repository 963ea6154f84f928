package tributary.ingest;

import java.util.List;
import tributary.bus.StoredRecord;
import tributary.fault.Backoff;

/**
 * E6: the rules of pushing an edge's results to its hook, one batch at a time and in cursor order:
 * what the next request carries, where delivery stands after an answer, and how long to wait
 * after a failure. Plain and confined to one event loop.
 *
 * <p>The body is {@code {"edge": id, "results": [record, ...]}}, each record in its public JSON form
 * with its cursor, so a hook that sees a batch twice (the node stopped between the hook's answer
 * and saving the cursor) can drop what it already has.
 */
public final class ResultHookDelivery {
  private final String edge;
  private final Backoff backoff;
  private long delivered;
  private int failures;

  public ResultHookDelivery(String edge, long delivered, Backoff backoff) {
    this.edge = edge;
    this.delivered = delivered;
    this.backoff = backoff;
  }

  /** The cursor after which the next batch starts. */
  public long delivered() {
    return delivered;
  }

  /** The request body for a batch read after {@link #delivered()}. */
  public String body(List<StoredRecord> batch) {
    StringBuilder out = new StringBuilder("{\"edge\":").append(io.vertx.core.json.Json.encode(edge))
        .append(",\"results\":[");
    for (int i = 0; i < batch.size(); i++) {
      out.append(i == 0 ? "" : ",").append(batch.get(i).toJsonText());
    }
    return out.append("]}").toString();
  }

  /** The hook answered; returns the cursor now delivered (unchanged unless the status was 2xx). */
  public long answered(List<StoredRecord> batch, int status) {
    if (status < 200 || status >= 300) {
      failures++;
    } else if (!batch.isEmpty()) {
      delivered = Math.max(delivered, batch.get(batch.size() - 1).cursor());
      failures = 0;
    }
    return delivered;
  }

  /** The hook could not be reached. */
  public void unreachable() {
    failures++;
  }

  /** How long to wait before the next attempt: 0 after a success, growing with consecutive failures. */
  public long waitMs() {
    return failures == 0 ? 0 : backoff.delayMs(failures);
  }

  public int failures() {
    return failures;
  }
}
