package tributary.export;

import tributary.fault.Backoff;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Locale;
import tributary.ingest.RecordParser;

/**
 * A webhook sink (E8): where to POST, which records (a channel and/or data type; null = any), raw
 * inputs, results or both, and how many failed attempts send a record to the dead-letter list.
 */
public record Sink(String sinkId, String url, String channel, String dataType, Include include, int maxAttempts,
    long backoffMs) {

  public enum Include { RAW, RESULTS, BOTH }

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_BACKOFF_MS = 1000;

  /** Reads a sink from its API form; throws IllegalArgumentException naming the bad field. */
  public static Sink fromJson(String sinkId, JsonObject json) {
    String url = json.getString("url");
    try {
      URI uri = new URI(String.valueOf(url));
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("url must be an http or https URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("url is not a URL");
    }
    String channel = json.getString("channel");
    String dataType = json.getString("dataType");
    if (channel != null && !RecordParser.validName(channel) || dataType != null && !RecordParser.validName(dataType)) {
      throw new IllegalArgumentException("channel and dataType must be names when given");
    }
    Include include;
    try {
      include = Include.valueOf(json.getString("include", "both").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("include must be raw, results or both");
    }
    Object attempts = json.getValue("maxAttempts", DEFAULT_MAX_ATTEMPTS);
    if (!(attempts instanceof Integer n) || n < 1 || n > 100) {
      throw new IllegalArgumentException("maxAttempts must be an integer 1..100");
    }
    Object backoff = json.getValue("backoffMs", DEFAULT_BACKOFF_MS);
    if (!(backoff instanceof Number b) || b.longValue() < 10 || b.longValue() > 3_600_000) {
      throw new IllegalArgumentException("backoffMs must be 10..3600000");
    }
    return new Sink(sinkId, url, channel, dataType, include, (Integer) attempts, ((Number) backoff).longValue());
  }

  public JsonObject toJson() {
    return new JsonObject().put("sinkId", sinkId).put("url", url).put("channel", channel).put("dataType", dataType)
        .put("include", include.name().toLowerCase(Locale.ROOT)).put("maxAttempts", maxAttempts)
        .put("backoffMs", backoffMs);
  }

  /** Wait before attempt number {@code attempts + 1}: doubling from backoffMs, at most a minute more. */
  public long backoffAfter(int attempts) {
    return new Backoff(backoffMs, backoffMs + 60_000).delayMs(attempts + 1);
  }
}
