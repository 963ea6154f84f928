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

  private VolumeIndex() {}

  /** What an index held: the needles of the volume's first {@code covered} bytes. */
  record Loaded(long covered, List<Volume.Entry> entries) {}

  static void write(Path volumeFile, long covered, List<Volume.Entry> entries) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(4 + 8 + 4 + entries.size() * ENTRY_BYTES + 4);
    out.putInt(MAGIC).putLong(covered).putInt(entries.size());
    for (Volume.Entry e : entries) {
      out.put(e.flags()).put(HEX.parseHex(e.sha256())).putLong(e.offset()).putLong(e.size()).putLong(e.landedAt());
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue()).flip();
    Path index = Volume.indexOf(volumeFile);
    Path tmp = index.resolveSibling(index.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.force(true);
    }
    Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
