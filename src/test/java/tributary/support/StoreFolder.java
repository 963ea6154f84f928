package tributary.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import tributary.storage.LocalBlobStore;
import tributary.storage.volume.Needle;
import tributary.storage.volume.VolumeSet;

/**
 * A storage node's folder as a test sees it on disk: a blob is its own file ({@code ab/abcd...})
 * or, when small, a needle in a volume file under {@code volumes/}.
 */
public final class StoreFolder {
  private StoreFolder() {}

  private static VolumeSet.Location needle(Path store, String sha256) throws IOException {
    return VolumeSet.liveIn(store.resolve("volumes")).get(sha256);
  }

  /** Whether the folder holds the blob, as a file or as a live needle. */
  public static boolean holds(Path store, String sha256) {
    try {
      return Files.exists(store.resolve(LocalBlobStore.relative(sha256))) || needle(store, sha256) != null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The blob's bytes as they lie on disk, unchecked. */
  public static byte[] bytes(Path store, String sha256) throws IOException {
    VolumeSet.Location at = needle(store, sha256);
    if (at == null) {
      return Files.readAllBytes(store.resolve(LocalBlobStore.relative(sha256)));
    }
    try (RandomAccessFile f = new RandomAccessFile(store.resolve(at.place().split("@")[0]).toFile(), "r")) {
      byte[] out = new byte[Math.toIntExact(at.size())];
      f.seek(at.offset() + Needle.HEADER_BYTES);
      f.readFully(out);
      return out;
    }
  }

  /** Flips byte {@code at} of the blob on disk, in its file or in its needle's bytes. */
  public static void flipByte(Path store, String sha256, long at) throws IOException {
    VolumeSet.Location needle = needle(store, sha256);
    Path file = needle == null ? store.resolve(LocalBlobStore.relative(sha256)) : store.resolve(needle.place().split("@")[0]);
    long position = needle == null ? at : needle.offset() + Needle.HEADER_BYTES + at;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0xFF);
    }
  }
}
