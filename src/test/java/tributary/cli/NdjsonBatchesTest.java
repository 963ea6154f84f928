package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonBatchesTest {
  private static NdjsonBatches batches(String input, int lines, long bytes) {
    return new NdjsonBatches(new BufferedReader(new StringReader(input)), lines, bytes);
  }

  @Test
  void batchesHoldAtMostTheLineCountAndSkipBlankLines() throws IOException {
    NdjsonBatches b = batches("{\"a\":1}\n\n{\"a\":2}\r\n  \n{\"a\":3}", 2, 1000);
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), b.next());
    assertEquals(List.of("{\"a\":3}"), b.next());
    assertEquals(List.of(), b.next());
  }

  @Test
  void aBatchStopsBeforeTheByteLimitButALongLineGoesAlone() throws IOException {
    // each line is 9 bytes with its newline; "é" is 2 bytes
    NdjsonBatches b = batches("{\"a\":11}\n{\"a\":22}\n{\"a\":\"ééééééé\"}\n{\"a\":33}\n", 100, 18);
    assertEquals(List.of("{\"a\":11}", "{\"a\":22}"), b.next());
    assertEquals(List.of("{\"a\":\"ééééééé\"}"), b.next());
    assertEquals(List.of("{\"a\":33}"), b.next());
    assertEquals(List.of(), b.next());
  }

  @Test
  void aBodyEndsEveryLine() {
    assertEquals("a\nb\n", NdjsonBatches.body(List.of("a", "b")));
  }

  @Test
  void utf8LengthsCountEveryWidth() {
    assertEquals(1 + 2 + 3 + 4, NdjsonBatches.Utf8.length("aé€😀"));
  }

  @Test
  void emptyLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> batches("", 0, 1));
  }
}
