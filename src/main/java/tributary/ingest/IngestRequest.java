package tributary.ingest;

/**
 * An HTTP ingest call handed to the node's edge ({@link EdgeIngest}): the raw body (one JSON record or NDJSON)
 * for the edge to parse into envelopes, and the caller's identity.
 *
 * @param priority request-level priority header, or null
 * @param idempotencyKey the request's key from which records without an id get theirs (E2)
 * @param requestId the HTTP request's {@code X-Request-Id}, carried with its records for the logs (X4)
 */
public record IngestRequest(String channel, boolean ndjson, String body, String sender, Integer priority,
    String idempotencyKey, String requestId) {}
