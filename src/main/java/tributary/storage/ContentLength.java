package tributary.storage;

/** The byte count a {@code Content-Length} header states, read one way by the API and the transfer server. */
public final class ContentLength {
  /** Longer would overflow a long; no blob comes near it. */
  private static final int MAX_DIGITS = 18;

  private ContentLength() {}

  /** The header's byte count, or -1 when it states no whole number of bytes (absent, signed, not decimal, too long). */
  public static long of(String header) {
    if (header == null || header.isEmpty() || header.length() > MAX_DIGITS) {
      return -1;
    }
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(header);
  }
}
