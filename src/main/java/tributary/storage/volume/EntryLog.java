package tributary.storage.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tributary.digest.Digests;

/**
 * A volume's needles in append order, as its index file lists them, kept in growing arrays rather
 * than an object per needle (see {@link NeedleMap}); an {@link Volume.Entry} is made only when the
 * list is read, which happens when an index is written or volumes are replayed. Not thread-safe:
 * its volume guards it.
 */
final class EntryLog {
  private static final int WORDS = Sha256Words.WORDS;

  private byte[] flags = new byte[64];
  private long[] hashes = new long[64 * WORDS];
  private long[] offsets = new long[64];
  private long[] sizes = new long[64];
  private long[] landed = new long[64];
  private int count;

  int size() {
    return count;
  }

  void add(Volume.Entry e) {
    if (!Digests.isSha256Hex(e.sha256())) {
      throw new IllegalArgumentException("not a SHA-256 in lowercase hex: " + e.sha256());
    }
    if (count == flags.length) {
      int capacity = count * 2;
      flags = Arrays.copyOf(flags, capacity);
      hashes = Arrays.copyOf(hashes, capacity * WORDS);
      offsets = Arrays.copyOf(offsets, capacity);
      sizes = Arrays.copyOf(sizes, capacity);
      landed = Arrays.copyOf(landed, capacity);
    }
    flags[count] = e.flags();
    for (int w = 0; w < WORDS; w++) {
      hashes[count * WORDS + w] = Sha256Words.word(e.sha256(), w);
    }
    offsets[count] = e.offset();
    sizes[count] = e.size();
    landed[count] = e.landedAt();
    count++;
  }

  void clear() {
    count = 0;
  }

  Volume.Entry get(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return new Volume.Entry(flags[i], Sha256Words.hex(hashes, i * WORDS), offsets[i], sizes[i], landed[i]);
  }

  /** Puts needle {@code i} as its index lists it: flags, the hash's 32 bytes, offset, size, landing time. */
  void putIndexEntry(int i, java.nio.ByteBuffer out) {
    out.put(flags[i]);
    for (int w = 0; w < WORDS; w++) {
      out.putLong(hashes[i * WORDS + w]);
    }
    out.putLong(offsets[i]).putLong(sizes[i]).putLong(landed[i]);
  }

  List<Volume.Entry> toList() {
    List<Volume.Entry> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(get(i));
    }
    return all;
  }

  /** Drops the needles that end past {@code length} (the last ones: needles lie in append order). */
  void cutAfter(long length) {
    while (count > 0 && offsets[count - 1] + Needle.HEADER_BYTES + sizes[count - 1] > length) {
      count--;
    }
  }
}
