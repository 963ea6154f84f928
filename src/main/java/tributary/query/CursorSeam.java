package tributary.query;

import java.util.List;
import tributary.cache.ChannelCache.Entry;

/** Where the cache stops being trustworthy for a read after a given cursor. */
public final class CursorSeam {
  private CursorSeam() {}

  /**
   * The leading cached entries that continue exactly from {@code after} (after+1, after+2, ...).
   * Anything past the first hole, or everything when the cache starts later, must come from
   * PostgreSQL; returning only a gap-free prefix is what keeps reads gap-free (Q4).
   */
  public static List<Entry> contiguousPrefix(long after, List<Entry> cached) {
    int n = 0;
    long expected = after + 1;
    for (Entry entry : cached) {
      if (entry.cursor() != expected) {
        break;
      }
      n++;
      expected++;
    }
    return cached.subList(0, n);
  }
}
