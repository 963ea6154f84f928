package tributary.storage.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A volume's index file (S1): the place of each needle up to a length of the volume, with a
 * CRC-32C over the whole, so a torn or damaged index is known and the volume scanned instead.
 * Written beside the volume through a temporary file and a rename.
 */
final class VolumeIndex {
  private static final int MAGIC = 0x4E494458;
  private static final int ENTRY_BYTES = 1 + 32 + 8 + 8 + 8;
  private static final HexFormat HEX = HexFormat.of();
  /** Under half a G1 region even with a small heap: never allocated as a humongous object. */
  private static final int BUFFER_BYTES = 256 << 10;

  private VolumeIndex() {}

  /** What an index held: the needles of the volume's first {@code covered} bytes. */
  record Loaded(long covered, List<Volume.Entry> entries) {}

  /**
   * Writes the index of the volume's first {@code covered} bytes, whose needles {@code log} lists,
   * through a small buffer: a full volume's index (some 12 MB) is never an array of its own, nor are
   * its entries objects. It goes through the page cache and is not forced to the disk: an index
   * lost or torn by a crash fails its CRC and the volume is scanned; one left from before describes a
   * prefix of the same append-only volume. Forced, some 12 MB of a full volume's index, on every
   * storage node at once, went in front of the small writes' fsyncs (issue 18).
   */
  static void write(Path volumeFile, long covered, EntryLog log) throws IOException {
    Path index = Volume.indexOf(volumeFile);
    Path tmp = index.resolveSibling(index.getFileName() + ".tmp");
    ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES);
    CRC32C crc = new CRC32C();
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      out.putInt(MAGIC).putLong(covered).putInt(log.size());
      for (int i = 0; i < log.size(); i++) {
        if (out.remaining() < ENTRY_BYTES) {
          drain(out, crc, channel);
        }
        log.putIndexEntry(i, out);
      }
      drain(out, crc, channel);
      out.putInt((int) crc.getValue()).flip();
      writeAll(out, channel);
    }
    Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes out what the buffer holds, counted in the CRC, and empties it. */
  private static void drain(ByteBuffer out, CRC32C crc, FileChannel channel) throws IOException {
    out.flip();
    crc.update(out.duplicate());
    writeAll(out, channel);
    out.clear();
  }

  private static void writeAll(ByteBuffer out, FileChannel channel) throws IOException {
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /** The volume's index, or null when it is missing or damaged. */
  static Loaded read(Path volumeFile) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Volume.indexOf(volumeFile));
    } catch (NoSuchFileException missing) {
      return null;
    }
    if (bytes.length < 20) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if (in.getInt() != MAGIC || in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      return null;
    }
    long covered = in.getLong();
    int count = in.getInt();
    if (count < 0 || (long) count * ENTRY_BYTES != bytes.length - 20) {
      return null;
    }
    List<Volume.Entry> entries = new ArrayList<>(count);
    byte[] sha = new byte[32];
    for (int i = 0; i < count; i++) {
      byte flags = in.get();
      in.get(sha);
      entries.add(new Volume.Entry(flags, HEX.formatHex(sha), in.getLong(), in.getLong(), in.getLong()));
    }
    return new Loaded(covered, entries);
  }

  static void delete(Path volumeFile) throws IOException {
    Files.deleteIfExists(Volume.indexOf(volumeFile));
  }
}
