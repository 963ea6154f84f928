package tributary.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import tributary.digest.Digests;

/**
 * The SHA-256 and MD5 of one upload, computed once for all its copies in this process (S1): each
 * copy's writer hands in the bytes it writes, at their offset in the blob, and only bytes no
 * writer has handed in before are hashed. The writers run on their own threads and may be ahead
 * of or behind each other. Hashing was most of a large upload's CPU with three copies each hashing
 * the same bytes (issue 18). The digest also takes the CRC-32C of each chunk of what it hashed;
 * every writer computes that of its own bytes anyway, for its chunk manifest, and a chunk that
 * differs fails the writer: a copy is never named by the hash of other bytes than its own.
 * Thread-safe.
 */
public final class SharedDigest {
  /** Both checksums of the bytes handed in. */
  public record Sums(String sha256, String md5) {}

  private final MessageDigest sha = Digests.of("SHA-256");
  private final MessageDigest md5 = Digests.of("MD5");
  /** The CRC-32C of every whole chunk hashed, then of the chunk under way in {@link #chunk}. */
  private final List<Integer> chunkCrcs = new ArrayList<>();
  private final CRC32C chunk = new CRC32C();
  private int inChunk;
  private long hashed;
  private Sums sums;

  /**
   * Hashes what of {@code bytes}, which lie at {@code offset} of the blob, no writer has handed in
   * yet; the buffer's position is left as it was. Bytes must come in order per writer.
   */
  public synchronized void update(long offset, ByteBuffer bytes) {
    long end = offset + bytes.remaining();
    if (offset > hashed) {
      throw new IllegalStateException("bytes at " + offset + " come before those at " + hashed);
    }
    if (end <= hashed) {
      return;
    }
    if (sums != null) {
      throw new IllegalStateException("bytes past the end of a finished digest (" + hashed + " bytes)");
    }
    ByteBuffer fresh = bytes.duplicate();
    fresh.position(fresh.position() + (int) (hashed - offset));
    sha.update(fresh.duplicate());
    md5.update(fresh.duplicate());
    while (fresh.hasRemaining()) {
      int take = Math.min(fresh.remaining(), LocalBlobStore.CHUNK_BYTES - inChunk);
      chunk.update(fresh.slice(fresh.position(), take));
      fresh.position(fresh.position() + take);
      inChunk += take;
      if (inChunk == LocalBlobStore.CHUNK_BYTES) {
        chunkCrcs.add((int) chunk.getValue());
        chunk.reset();
        inChunk = 0;
      }
    }
    hashed = end;
  }

  /**
   * Whether a writer's chunk {@code index}, whose bytes it handed in whole, has the CRC-32C of the
   * bytes hashed there; the blob's last chunk, shorter than the others, is the one under way.
   */
  public synchronized boolean sameChunk(int index, int crc) {
    if (index < chunkCrcs.size()) {
      return chunkCrcs.get(index) == crc;
    }
    return index == chunkCrcs.size() && (int) chunk.getValue() == crc;
  }

  /** The checksums of the blob's {@code size} bytes, once every one of them was handed in. */
  public synchronized Sums sums(long size) {
    if (hashed != size) {
      throw new IllegalStateException("a digest of " + hashed + " bytes asked for " + size);
    }
    if (sums == null) {
      sums = new Sums(Digests.hex(sha.digest()), Digests.hex(md5.digest()));
    }
    return sums;
  }
}
