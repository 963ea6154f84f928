package tributary.node;

import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one record, blob or task carry its id and the id of the HTTP request that
 * brought it (X4) as SLF4J key-value pairs, which {@code --log-format=json} writes as fields
 * ({@code kvpList}); the message names both for the text format. The pairs travel inside the
 * logging event, so nothing is left on the thread (event loops are shared, unlike with an MDC),
 * and a line whose level is off costs no allocation.
 */
public final class LogIds {
  public static final String REQUEST = "requestId";
  public static final String RECORD = "recordId";
  public static final String BLOB = "blobId";
  public static final String TASK = "taskId";

  private LogIds() {}

  /** {@code LogIds.record(LOG.atWarn(), id, requestId).log("... [envelope: {}, request: {}]", id, requestId)}. */
  public static LoggingEventBuilder record(LoggingEventBuilder line, String recordId, String requestId) {
    return line.addKeyValue(RECORD, recordId).addKeyValue(REQUEST, requestId);
  }

  public static LoggingEventBuilder blob(LoggingEventBuilder line, String blobId, String requestId) {
    return line.addKeyValue(BLOB, blobId).addKeyValue(REQUEST, requestId);
  }

  public static LoggingEventBuilder task(LoggingEventBuilder line, String taskId, String requestId) {
    return line.addKeyValue(TASK, taskId).addKeyValue(REQUEST, requestId);
  }
}
