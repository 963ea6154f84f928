package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SharedDigestTest {
  private static final int CHUNK = LocalBlobStore.CHUNK_BYTES;

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  private static int crc(byte[] bytes, int from, int to) {
    CRC32C c = new CRC32C();
    c.update(bytes, from, to - from);
    return (int) c.getValue();
  }

  /** Hands in {@code bytes[from, to)} in pieces of {@code piece}, as one writer would. */
  private static void feed(SharedDigest digest, byte[] bytes, int from, int to, int piece) {
    for (int at = from; at < to; at += piece) {
      ByteBuffer part = ByteBuffer.wrap(bytes, at, Math.min(piece, to - at));
      digest.update(at, part);
      assertEquals(at, part.position(), "the writer's buffer is left where it was");
    }
  }

  @Test
  void writersAheadAndBehindEachOtherHashEveryByteExactlyOnce() throws Exception {
    byte[] bytes = new byte[3 * CHUNK + 1234];
    new Random(7).nextBytes(bytes);
    SharedDigest digest = new SharedDigest();
    // one writer leads, one follows in other pieces, one overtakes it half way: any byte hashed
    // twice or skipped would change both checksums
    feed(digest, bytes, 0, CHUNK + 10, 65_536 + 3);
    feed(digest, bytes, 0, 2 * CHUNK, 8_192);
    feed(digest, bytes, 0, bytes.length, 100_000);
    feed(digest, bytes, CHUNK + 10, bytes.length, 4_096);
    feed(digest, bytes, 2 * CHUNK, bytes.length, 1);
    SharedDigest.Sums sums = digest.sums(bytes.length);
    feed(digest, bytes, 0, bytes.length, 65_536); // a writer that finishes after another
    assertEquals(hex("SHA-256", bytes), sums.sha256());
    assertEquals(hex("MD5", bytes), sums.md5());
    assertEquals(sums, digest.sums(bytes.length), "every writer is given the same checksums");
  }

  @Test
  void aWritersChunksAreComparedWithTheBytesThatWereHashed() {
    byte[] bytes = new byte[2 * CHUNK + 99];
    new Random(8).nextBytes(bytes);
    SharedDigest digest = new SharedDigest();
    feed(digest, bytes, 0, bytes.length, 65_536);
    assertTrue(digest.sameChunk(0, crc(bytes, 0, CHUNK)));
    assertTrue(digest.sameChunk(1, crc(bytes, CHUNK, 2 * CHUNK)));
    assertTrue(digest.sameChunk(2, crc(bytes, 2 * CHUNK, bytes.length)), "the last, shorter chunk");
    byte[] other = bytes.clone();
    other[CHUNK + 5] ^= 1;
    assertFalse(digest.sameChunk(1, crc(other, CHUNK, 2 * CHUNK)), "a copy whose bytes differ is told so");
    assertFalse(digest.sameChunk(2, crc(bytes, 2 * CHUNK, bytes.length - 1)), "and one that is shorter");
    assertFalse(digest.sameChunk(3, 0), "and one that is longer");
  }

  @Test
  void bytesOutOfOrderOrChecksumsOfAnotherLengthAreRefused() {
    SharedDigest digest = new SharedDigest();
    digest.update(0, ByteBuffer.wrap(new byte[10]));
    assertThrows(IllegalStateException.class, () -> digest.update(11, ByteBuffer.wrap(new byte[1])));
    assertThrows(IllegalStateException.class, () -> digest.sums(11));
    digest.sums(10);
    assertThrows(IllegalStateException.class, () -> digest.update(10, ByteBuffer.wrap(new byte[1])));
    assertThrows(IllegalStateException.class, () -> digest.sums(9));
  }
}
