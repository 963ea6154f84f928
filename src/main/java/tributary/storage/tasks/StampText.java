package tributary.storage.tasks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The line a document or video watermark shows: the caller's text and when the node stamped it,
 * in UTC to the second, so every stamped copy says when it was made.
 */
public final class StampText {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private StampText() {}

  public static String line(String text, long epochMs) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("watermark text is empty");
    }
    return text.strip() + " | " + time(epochMs);
  }

  /** How the stamp writes {@code epochMs}. */
  public static String time(long epochMs) {
    return UTC.format(Instant.ofEpochMilli(epochMs));
  }
}
