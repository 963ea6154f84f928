package tributary.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.cache.ChannelCache.Entry;

class CursorSeamTest {
  private static List<Entry> entries(long... cursors) {
    return java.util.Arrays.stream(cursors).mapToObj(c -> new Entry(c, "{}")).toList();
  }

  @Test
  void aCacheThatContinuesTheCursorIsUsedWhole() {
    assertEquals(3, CursorSeam.contiguousPrefix(4, entries(5, 6, 7)).size());
  }

  @Test
  void aCacheThatStartsLaterIsNotUsedAtAll() {
    assertEquals(0, CursorSeam.contiguousPrefix(4, entries(6, 7)).size());
  }

  @Test
  void readingStopsAtTheFirstHole() {
    assertEquals(entries(5, 6), CursorSeam.contiguousPrefix(4, entries(5, 6, 8, 9)));
  }

  @Test
  void anEmptyCacheGivesNothing() {
    assertEquals(0, CursorSeam.contiguousPrefix(0, List.of()).size());
  }
}
