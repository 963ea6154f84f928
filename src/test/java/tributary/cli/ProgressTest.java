package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bytesUseBinaryUnitsWithOneDecimal() {
    assertEquals("0 B", Progress.bytes(0));
    assertEquals("1023 B", Progress.bytes(1023));
    assertEquals("1.0 KiB", Progress.bytes(1024));
    assertEquals("1.5 KiB", Progress.bytes(1536));
    assertEquals("5.0 MiB", Progress.bytes(5L << 20));
    assertEquals("2.0 GiB", Progress.bytes(2L << 30));
    assertEquals("3072.0 TiB", Progress.bytes(3L << 50), "the largest unit carries on");
  }

  @Test
  void ratesArePerSecondOfTheElapsedTime() {
    assertEquals("1,000 records/s", Progress.rate(Progress.Unit.RECORDS, 2000, 2 * SECOND));
    assertEquals("1,333 records/s", Progress.rate(Progress.Unit.RECORDS, 1000, 750_000_000L));
    assertEquals("2.5 MiB/s", Progress.rate(Progress.Unit.BYTES, 5L << 20, 2 * SECOND));
    assertEquals("- records/s", Progress.rate(Progress.Unit.RECORDS, 10, 0), "no time yet, no figure");
  }

  @Test
  void aKnownTotalDrawsABarAndAShare() {
    assertEquals("put f [===============>              ]  50%  5.0 MiB  5.0 MiB/s",
        Progress.line("put f", 5L << 20, 10L << 20, Progress.Unit.BYTES, 5L << 20, SECOND));
    assertEquals("put f [==============================] 100%  10.0 MiB  5.0 MiB/s",
        Progress.line("put f", 10L << 20, 10L << 20, Progress.Unit.BYTES, 10L << 20, 2 * SECOND));
    assertEquals("send c [>                             ]   0%  0 records  0 records/s",
        Progress.line("send c", 0, 100, Progress.Unit.RECORDS, 0, SECOND));
  }

  @Test
  void anUnknownTotalShowsOnlyTheCountAndRate() {
    assertEquals("send c 1,234 records  1,234 records/s",
        Progress.line("send c", 99, -1, Progress.Unit.RECORDS, 1234, SECOND));
  }

  @Test
  void theLineIsRedrawnInPlaceAtMostFiveTimesASecondAndEndedByFinish() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "get x",
        Progress.Unit.BYTES, -1, 0);
    progress.update(1, 1, 1);
    progress.update(2, 2, Progress.REDRAW_NANOS / 2);
    progress.update(3, 3, Progress.REDRAW_NANOS + 1);
    progress.finish(4, 4, SECOND);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(3, out.chars().filter(c -> c == '\r').count(), out);
    assertTrue(out.endsWith("\rget x 4 B  4 B/s" + System.lineSeparator()), out);
  }
}
