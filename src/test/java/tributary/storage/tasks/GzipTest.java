package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GzipTest {
  @TempDir Path dir;

  @Test
  void compressibleDataShrinksAndComesBackIdentical() throws IOException {
    StringBuilder log = new StringBuilder();
    for (int i = 0; log.length() < 4 * 1024 * 1024; i++) {
      log.append("{\"seq\":").append(i).append(",\"channel\":\"sensors\",\"value\":").append(i % 97)
          .append("}\n");
    }
    byte[] original = log.toString().getBytes(StandardCharsets.UTF_8);
    Path in = Files.write(dir.resolve("records.jsonl"), original);
    Path out = dir.resolve("records.jsonl.gz");

    Gzip.compress(in, out);

    assertTrue(Files.size(out) < original.length / 4, "compressed to " + Files.size(out));
    assertArrayEquals(original, gunzip(out));
  }

  @Test
  void anEmptyFileComesBackEmpty() throws IOException {
    Path in = Files.createFile(dir.resolve("empty"));
    Path out = dir.resolve("empty.gz");

    Gzip.compress(in, out);

    assertTrue(Files.size(out) > 0, "still a valid gzip stream with header and trailer");
    assertArrayEquals(new byte[0], gunzip(out));
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }
}
