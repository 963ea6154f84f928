package tributary.storage.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One volume file: needles appended one after another (S1). Appends come from one thread (the
 * volume set's appender); reads are positional and may come from any thread. The volume keeps the
 * list of its needles in order, which its index file holds.
 */
final class Volume {
  /** A needle's place in its volume, as its index lists it. */
  record Entry(byte flags, String sha256, long offset, long size, long landedAt) {
    long end() {
      return offset + Needle.HEADER_BYTES + size;
    }
  }

  /** What a scan found: the needles whole, and where the good part of the volume ends. */
  record Scan(List<Entry> entries, long goodEnd, boolean torn) {}

  final long id;
  final Path path;
  final FileChannel channel;
  private final EntryLog entries = new EntryLog();
  private volatile long end;
  /**
   * Needles appended (by the appender thread) and not yet written to the file: a group's needles
   * go in one write before its fsync, not one each (with three copies of every small upload, two
   * system calls fewer per upload and copy). Nothing reads them before: a needle is found only once
   * the fsync that covers it is done.
   */
  private ByteBuffer pending;
  private static final int PENDING_BYTES = 256 << 10;
  /** Bytes of needles deleted or superseded, and of tombstones. */
  final AtomicLong deadBytes = new AtomicLong();

  private Volume(long id, Path path, FileChannel channel, long end) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.end = end;
  }

  static Path fileOf(Path dir, long id) {
    return dir.resolve(fileName(id));
  }

  /** The volume's file name, its id in eight digits or more (made per copy recorded, so no format parsing). */
  static String fileName(long id) {
    String digits = Long.toString(id);
    return "0".repeat(Math.max(0, 8 - digits.length())) + digits + ".vol";
  }

  static Path indexOf(Path volumeFile) {
    return volumeFile.resolveSibling(volumeFile.getFileName() + ".idx");
  }

  /** Opens (or creates) the volume; its needles are not yet known: {@link #scan} or {@link #adopt}. */
  static Volume open(Path dir, long id) throws IOException {
    Path path = fileOf(dir, id);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    return new Volume(id, path, channel, channel.size());
  }

  long end() {
    return end;
  }

  /** Writes the index of the volume's first {@code covered} bytes (see {@link VolumeIndex#write}). */
  synchronized void writeIndex(long covered) throws IOException {
    VolumeIndex.write(path, covered, entries);
  }

  /** The volume's needles in the order they were appended. */
  synchronized List<Entry> entries() {
    return entries.toList();
  }

  /** Takes the needles an index or a scan found; the volume now ends after the last. */
  synchronized void adopt(List<Entry> found, long goodEnd) {
    entries.clear();
    found.forEach(entries::add);
    end = goodEnd;
  }

  /** Appends the needle at the end (not yet durable: see {@link #force}); answers its entry. */
  Entry append(Needle needle) throws IOException {
    ByteBuffer bytes = needle.encode();
    long at = end;
    if (pending == null) {
      pending = ByteBuffer.allocateDirect(PENDING_BYTES);
    }
    if (bytes.remaining() > pending.remaining()) {
      writePending();
    }
    if (bytes.remaining() > pending.remaining()) {
      writeAt(bytes, at);
    } else {
      pending.put(bytes);
    }
    Entry entry = new Entry(needle.flags(), needle.sha256(), at, needle.data().length, needle.landedAt());
    synchronized (this) {
      entries.add(entry);
      end = entry.end();
    }
    return entry;
  }

  /** Writes the needles appended since the last write, which end at {@link #end}, in one call. */
  private void writePending() throws IOException {
    pending.flip();
    writeAt(pending, end - pending.remaining());
    pending.clear();
  }

  /** Writes the buffer's remaining bytes to the file from {@code at} on. */
  private void writeAt(ByteBuffer bytes, long at) throws IOException {
    long written = 0;
    while (bytes.hasRemaining()) {
      written += channel.write(bytes, at + written);
    }
  }

  /** Cuts the volume back to {@code length}: a batch that failed half-way leaves nothing behind. */
  synchronized void truncate(long length) throws IOException {
    if (pending != null) {
      pending.clear();
    }
    channel.truncate(length);
    entries.cutAfter(length);
    end = length;
  }

  /** Reads the whole needle at {@code offset}: header and bytes, checked by the caller. */
  byte[] read(long offset, long size) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(Needle.HEADER_BYTES + size));
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, offset + bytes.position()) < 0) {
        throw new IOException("volume " + path.getFileName() + " ends inside the needle at " + offset);
      }
    }
    return bytes.array();
  }

  /**
   * Reads the needles from {@code from} to the end of the file. A needle cut short by the end of
   * the file, a header that is not one, or a last needle that fails its CRC ends the good part:
   * that is where a crash tore the volume. A needle that fails its CRC with more after it is
   * kept: it is decay, for reads and scrub to find.
   */
  Scan scan(long from) throws IOException {
    long size = channel.size();
    List<Entry> found = new ArrayList<>();
    long at = from;
    while (at < size) {
      if (size - at < Needle.HEADER_BYTES) {
        return new Scan(found, at, true);
      }
      ByteBuffer head = ByteBuffer.allocate(Needle.HEADER_BYTES);
      while (head.hasRemaining() && channel.read(head, at + head.position()) >= 0) {
        // fill the header
      }
      Needle.Header h = Needle.header(head.array());
      if (h == null || at + h.length() > size) {
        return new Scan(found, at, true);
      }
      byte[] data = read(at, h.size());
      if (!h.intact(data, Needle.HEADER_BYTES, data.length - Needle.HEADER_BYTES) && at + h.length() == size) {
        return new Scan(found, at, true);
      }
      found.add(new Entry(h.flags(), h.sha256(), at, h.size(), h.landedAt()));
      at += h.length();
    }
    return new Scan(found, at, false);
  }

  /** Writes what was appended and makes it durable. */
  void force(Fsync fsync) throws IOException {
    if (pending != null && pending.position() > 0) {
      writePending();
    }
    fsync.force(path, channel);
  }

  /** The volume is full: nothing more is appended to it. */
  void ended() {
    pending = null;
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a file we only read or already forced
    }
  }
}
