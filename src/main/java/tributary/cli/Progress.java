package tributary.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr, redrawn in place ({@code \r}) at most every {@link #REDRAW_NANOS}:
 * a bar of the input consumed (bytes) when its size is known, then what was counted (records or
 * bytes) and its rate. The text is made by the static methods, which the tests check; the clock is
 * passed in.
 */
final class Progress {
  static final long REDRAW_NANOS = 200_000_000L;
  private static final int BAR_WIDTH = 30;

  private final PrintStream err;
  private final String label;
  private final Unit unit;
  private final long total;
  private final long startNanos;
  private long lastDraw = Long.MIN_VALUE;

  /** What is counted: records or bytes. */
  enum Unit {
    RECORDS, BYTES
  }

  Progress(PrintStream err, String label, Unit unit, long total, long startNanos) {
    this.err = err;
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.startNanos = startNanos;
  }

  /** Redraws the line if the last redraw is old enough: {@code read} of the input's bytes, {@code counted} units. */
  void update(long read, long counted, long nowNanos) {
    if (lastDraw == Long.MIN_VALUE || nowNanos - lastDraw >= REDRAW_NANOS) {
      lastDraw = nowNanos;
      err.print("\r" + line(label, read, total, unit, counted, nowNanos - startNanos));
      err.flush();
    }
  }

  /** Draws the final line and ends it. */
  void finish(long read, long counted, long nowNanos) {
    err.println("\r" + line(label, read, total, unit, counted, nowNanos - startNanos));
    err.flush();
  }

  /**
   * {@code label [=====>       ]  42%  4.2 MiB  1.3 MiB/s}: the bar and share of {@code read} bytes
   * out of {@code total}, left out when the total is unknown (-1); then the count and its rate.
   */
  static String line(String label, long read, long total, Unit unit, long counted, long elapsedNanos) {
    StringBuilder out = new StringBuilder(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(BAR_WIDTH, read * BAR_WIDTH / total);
      out.append('[').append("=".repeat(filled)).append(filled < BAR_WIDTH ? ">" : "")
          .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1))).append("] ")
          .append(String.format(Locale.ROOT, "%3d%%  ", Math.min(100, read * 100 / total)));
    }
    return out.append(amount(unit, counted)).append("  ").append(rate(unit, counted, elapsedNanos)).toString();
  }

  /** {@code 1,234 records} or {@code 4.2 MiB}. */
  static String amount(Unit unit, long n) {
    return unit == Unit.RECORDS ? String.format(Locale.ROOT, "%,d records", n) : bytes(n);
  }

  /** Per second over the elapsed time: {@code 12,345 records/s} or {@code 1.3 MiB/s}; {@code -} before any time passed. */
  static String rate(Unit unit, long n, long elapsedNanos) {
    if (elapsedNanos <= 0) {
      return "- " + (unit == Unit.RECORDS ? "records/s" : "B/s");
    }
    double perSecond = n * 1e9 / elapsedNanos;
    return unit == Unit.RECORDS ? String.format(Locale.ROOT, "%,.0f records/s", perSecond)
        : bytes((long) perSecond) + "/s";
  }

  /** Binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 5.0 MiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    do {
      v /= 1024;
      i++;
    } while (v >= 1024 && i < units.length - 1);
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
