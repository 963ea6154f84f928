package tributary.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * NDJSON lines read into batches of at most {@code maxLines} lines and, unless one line alone is
 * larger, {@code maxBytes} bytes; blank lines are skipped. Each batch is one request body.
 */
final class NdjsonBatches {
  private final BufferedReader lines;
  private final int maxLines;
  private final long maxBytes;
  private String pending;

  NdjsonBatches(BufferedReader lines, int maxLines, long maxBytes) {
    if (maxLines < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a batch holds at least one line and one byte");
    }
    this.lines = lines;
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /** The next batch, or an empty list at the end of the input. */
  List<String> next() throws IOException {
    List<String> batch = new ArrayList<>();
    long bytes = 0;
    while (batch.size() < maxLines) {
      String line = pending != null ? pending : lines.readLine();
      pending = null;
      if (line == null) {
        break;
      }
      if (line.isBlank()) {
        continue;
      }
      long size = Utf8.length(line) + 1;
      if (!batch.isEmpty() && bytes + size > maxBytes) {
        pending = line;
        break;
      }
      batch.add(line);
      bytes += size;
    }
    return batch;
  }

  /** One request body: the lines, each ended by a newline. */
  static String body(List<String> batch) {
    return String.join("\n", batch) + "\n";
  }

  /** UTF-8 length without encoding the string. */
  static final class Utf8 {
    private Utf8() {}

    static long length(String s) {
      long n = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n += 1;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }
  }
}
