package tributary.storage.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import tributary.digest.Digests;

/** SHA-256, MD5 and size of a file, taken in one streaming pass so large blobs are read once. */
public record FileDigest(String sha256, String md5, long size) {
  private static final int BUFFER = 64 * 1024;

  public static FileDigest of(Path file) throws IOException {
    MessageDigest sha256 = Digests.of("SHA-256");
    MessageDigest md5 = Digests.of("MD5");
    long size = 0;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        size += n;
      }
    }
    return new FileDigest(Digests.hex(sha256.digest()), Digests.hex(md5.digest()), size);
  }
}
