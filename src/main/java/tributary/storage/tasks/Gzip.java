package tributary.storage.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Gzip compression of a blob, streamed file to file so size never matters. */
public final class Gzip {
  private static final int BUFFER = 64 * 1024;

  private Gzip() {}

  public static void compress(Path in, Path out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    try (InputStream source = Files.newInputStream(in);
        OutputStream target = new GZIPOutputStream(Files.newOutputStream(out), BUFFER)) {
      for (int n; (n = source.read(buffer)) != -1; ) {
        target.write(buffer, 0, n);
      }
    }
  }
}
