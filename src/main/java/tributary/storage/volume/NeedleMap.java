package tributary.storage.volume;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tributary.digest.Digests;

/**
 * The live needles of a volume set: hash to where the needle lies. Open-addressing tables in
 * parallel arrays (linear probing, deletion by shifting back), so a needle costs no object of its
 * own. The needles are spread over {@value #SEGMENTS} such tables by their hash, each with its own
 * lock, and each grows alone: one table for the whole set stopped the appender while it copied
 * every needle into a table twice the size, and three storage nodes filling alike did so at once
 * (with 300,000 needles each, 200 MB allocated and a stall of 300-400 ms in front of every upload,
 * issue 18); a segment's growth copies a 256th of that. Changes come from the volume set's
 * appender thread, look-ups from any thread.
 */
final class NeedleMap {
  private static final int WORDS = Sha256Words.WORDS;
  /** One per value of a hash's first byte. */
  static final int SEGMENTS = 256;

  private final Segment[] segments = new Segment[SEGMENTS];

  NeedleMap() {
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment();
    }
  }

  /**
   * The segment of a needle: by the first byte of its hash, read from its first two hex digits (the
   * segment parses the whole hash once). A segment places a needle by a mix of its first two words,
   * in which that byte is one of 128 bits.
   */
  private Segment segmentOf(String sha256) {
    return segments[HexFormat.fromHexDigits(sha256, 0, 2)];
  }

  int size() {
    int size = 0;
    for (Segment segment : segments) {
      size += segment.size();
    }
    return size;
  }

  /** Where the needle lies, or null when it is not here (or {@code sha256} names no needle). */
  Slot get(String sha256) {
    return Digests.isSha256Hex(sha256) ? segmentOf(sha256).get(sha256) : null;
  }

  boolean contains(String sha256) {
    return get(sha256) != null;
  }

  /** Brings the needle's landing time forward to {@code landedAt}; answers it as it now is, or null. */
  Slot touch(String sha256, long landedAt) {
    return Digests.isSha256Hex(sha256) ? segmentOf(sha256).touch(sha256, landedAt) : null;
  }

  /** Sets where the needle lies; answers where it lay before, or null. */
  Slot put(String sha256, Slot where) {
    if (!Digests.isSha256Hex(sha256)) {
      throw new IllegalArgumentException("not a SHA-256 in lowercase hex: " + sha256);
    }
    return segmentOf(sha256).put(sha256, where);
  }

  /**
   * Moves the needle to {@code to} if it still lies where {@code expected} says (its volume and
   * offset); its landing time stays the later of the two. Whether it moved.
   */
  boolean replace(String sha256, Slot expected, Slot to) {
    return Digests.isSha256Hex(sha256) && segmentOf(sha256).replace(sha256, expected, to);
  }

  /** Forgets the needle; answers where it lay, or null. */
  Slot remove(String sha256) {
    return Digests.isSha256Hex(sha256) ? segmentOf(sha256).remove(sha256) : null;
  }

  /** Every live needle with where it lies. */
  List<Map.Entry<String, Slot>> entries() {
    return entries((segment, i) -> true);
  }

  /** The live needles of {@code volume}. */
  List<Map.Entry<String, Slot>> entriesIn(Volume volume) {
    return entries((segment, i) -> segment.volumes[i] == volume);
  }

  /** The live needles that landed before {@code before} (epoch ms). */
  List<Map.Entry<String, Slot>> landedBefore(long before) {
    return entries((segment, i) -> segment.landed[i] < before);
  }

  /** Which occupied slots of a segment a listing takes. */
  private interface Keep {
    boolean test(Segment segment, int slot);
  }

  /** The needles of the occupied slots {@code keep} accepts, segment by segment, each at one moment. */
  private List<Map.Entry<String, Slot>> entries(Keep keep) {
    List<Map.Entry<String, Slot>> out = new ArrayList<>();
    for (Segment segment : segments) {
      segment.entries(keep, out);
    }
    return out;
  }

  /** One table of needles; every method holds its lock, which is short. */
  private static final class Segment {
    private static final double LOAD = 0.6;

    private long[] keys;
    /** The volume of each slot; null marks a free slot. */
    private Volume[] volumes;
    private long[] offsets;
    private long[] sizes;
    private long[] landed;
    private int mask;
    private int size;

    Segment() {
      allocate(16);
    }
    private void allocate(int capacity) {
      keys = new long[capacity * WORDS];
      volumes = new Volume[capacity];
      offsets = new long[capacity];
      sizes = new long[capacity];
      landed = new long[capacity];
      mask = capacity - 1;
    }

    synchronized int size() {
      return size;
    }

    /** Where the needle lies, or null when it is not here (or {@code sha256} names no needle). */
    synchronized Slot get(String sha256) {
      int i = find(sha256);
      return i < 0 ? null : slot(i);
    }

    /** Brings the needle's landing time forward to {@code landedAt}; answers it as it now is, or null. */
    synchronized Slot touch(String sha256, long landedAt) {
      int i = find(sha256);
      if (i < 0) {
        return null;
      }
      landed[i] = Math.max(landed[i], landedAt);
      return slot(i);
    }

    /** Sets where the needle lies; answers where it lay before, or null. */
    synchronized Slot put(String sha256, Slot where) {
      if (size + 1 > LOAD * volumes.length) {
        grow();
      }
      long w0 = Sha256Words.word(sha256, 0);
      long w1 = Sha256Words.word(sha256, 1);
      long w2 = Sha256Words.word(sha256, 2);
      long w3 = Sha256Words.word(sha256, 3);
      int i = probe(w0, w1, w2, w3);
      Slot before = null;
      if (i >= 0) {
        before = slot(i);
      } else {
        i = -i - 1;
        keys[i * WORDS] = w0;
        keys[i * WORDS + 1] = w1;
        keys[i * WORDS + 2] = w2;
        keys[i * WORDS + 3] = w3;
        size++;
      }
      set(i, where);
      return before;
    }

    /**
     * Moves the needle to {@code to} if it still lies where {@code expected} says (its volume and
     * offset); its landing time stays the later of the two. Whether it moved.
     */
    synchronized boolean replace(String sha256, Slot expected, Slot to) {
      int i = find(sha256);
      if (i < 0 || !slot(i).sameNeedle(expected)) {
        return false;
      }
      set(i, to.landed(landed[i]));
      return true;
    }

    /** Forgets the needle; answers where it lay, or null. */
    synchronized Slot remove(String sha256) {
      int i = find(sha256);
      if (i < 0) {
        return null;
      }
      Slot gone = slot(i);
      shiftBackInto(i);
      size--;
      return gone;
    }

    /** Adds to {@code out} the needles of the occupied slots {@code keep} accepts; a name is made only for those. */
    synchronized void entries(Keep keep, List<Map.Entry<String, Slot>> out) {
      for (int i = 0; i < volumes.length; i++) {
        if (volumes[i] != null && keep.test(this, i)) {
          out.add(Map.entry(Sha256Words.hex(keys, i * WORDS), slot(i)));
        }
      }
    }

    private Slot slot(int i) {
      return new Slot(volumes[i], offsets[i], sizes[i], landed[i]);
    }

    private void set(int i, Slot where) {
      volumes[i] = where.volume();
      offsets[i] = where.offset();
      sizes[i] = where.size();
      landed[i] = where.landedAt();
    }

    private int home(long word0, long word1) {
      long h = (word0 ^ word1) * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The slot of the needle (named by a valid hash), or -1 when it is not here. */
    private int find(String sha256) {
      int i = probe(Sha256Words.word(sha256, 0), Sha256Words.word(sha256, 1), Sha256Words.word(sha256, 2),
          Sha256Words.word(sha256, 3));
      return Math.max(i, -1);
    }

    /** The slot holding the hash of these words, or {@code -(free slot) - 1} where its probe run ends. */
    private int probe(long w0, long w1, long w2, long w3) {
      int i = home(w0, w1);
      for (; volumes[i] != null; i = (i + 1) & mask) {
        int k = i * WORDS;
        if (keys[k] == w0 && keys[k + 1] == w1 && keys[k + 2] == w2 && keys[k + 3] == w3) {
          return i;
        }
      }
      return -i - 1;
    }

    /** Empties slot {@code free}, moving later slots of its probe run back so every needle stays findable. */
    private void shiftBackInto(int free) {
      int j = free;
      while (true) {
        j = (j + 1) & mask;
        if (volumes[j] == null) {
          break;
        }
        int k = home(keys[j * WORDS], keys[j * WORDS + 1]);
        // the needle at j may move back to free only if its home is not cyclically within (free, j]
        boolean homeBetween = free <= j ? free < k && k <= j : free < k || k <= j;
        if (homeBetween) {
          continue;
        }
        System.arraycopy(keys, j * WORDS, keys, free * WORDS, WORDS);
        volumes[free] = volumes[j];
        offsets[free] = offsets[j];
        sizes[free] = sizes[j];
        landed[free] = landed[j];
        free = j;
      }
      volumes[free] = null;
    }

    private void grow() {
      long[] oldKeys = keys;
      Volume[] oldVolumes = volumes;
      long[] oldOffsets = offsets;
      long[] oldSizes = sizes;
      long[] oldLanded = landed;
      allocate(oldVolumes.length * 2);
      for (int i = 0; i < oldVolumes.length; i++) {
        if (oldVolumes[i] == null) {
          continue;
        }
        int k = i * WORDS;
        int j = -probe(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3]) - 1;
        System.arraycopy(oldKeys, i * WORDS, keys, j * WORDS, WORDS);
        volumes[j] = oldVolumes[i];
        offsets[j] = oldOffsets[i];
        sizes[j] = oldSizes[i];
        landed[j] = oldLanded[i];
      }
    }
  }
}
