package tributary.storage;

/**
 * One byte range of a blob, {@code [start, end)}, from an HTTP {@code Range} header (S2). Only
 * single ranges are served; a multi-range request gets the whole blob, as RFC 9110 allows.
 */
public record ByteRange(long start, long end) {
  public long length() {
    return end - start;
  }

  /** {@code Content-Range} value for this range of a blob of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + start + "-" + (end - 1) + "/" + size;
  }

  /** Thrown for a range that asks for nothing the blob has (answer 416). */
  public static final class Unsatisfiable extends Exception {
    public Unsatisfiable(String message) {
      super(message);
    }
  }

  /**
   * The range a header asks for in a blob of {@code size} bytes: null for no header, a
   * malformed one or several ranges (serve everything); throws for one that is past the end.
   */
  public static ByteRange parse(String header, long size) throws Unsatisfiable {
    if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (!first.matches("[0-9]*") || !last.matches("[0-9]*")) {
        return null;
      }
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          throw new Unsatisfiable("empty suffix range");
        }
        return new ByteRange(Math.max(0, size - suffix), size);
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (start < 0 || end < start) {
        return null;
      }
      if (start >= size) {
        throw new Unsatisfiable("range starts at " + start + " but the blob has " + size + " bytes");
      }
      return new ByteRange(start, Math.min(end, size - 1) + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
