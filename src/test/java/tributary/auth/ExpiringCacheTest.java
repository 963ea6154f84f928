package tributary.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
  @Test
  void anEntryIsGoodUntilItsTimeByTheCallersClock() {
    ExpiringCache<String, String> cache = new ExpiringCache<>(1_000, 10);
    cache.put("a", "x", 5_000);
    assertEquals("x", cache.get("a", 5_999));
    assertNull(cache.get("a", 6_000));
  }

  @Test
  void aFullCacheKeepsWithinItsBoundWithoutDroppingEverything() {
    ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(60_000, 100);
    for (int i = 0; i < 1_000; i++) {
      cache.put(i, i, 0);
      cache.get(0, 1); // a hot key
    }
    assertTrue(cache.size() <= 100, "bounded: " + cache.size());
    assertTrue(cache.size() > 50, "a full cache is not emptied: " + cache.size());
  }

  @Test
  void entriesAreRemovedByKeyOrByValue() {
    ExpiringCache<String, String> cache = new ExpiringCache<>(60_000, 10);
    cache.put("token-a", "alice", 0);
    cache.put("token-b", "bob", 0);
    cache.removeIf(k -> k.equals("token-a"));
    cache.removeValuesIf(v -> v.equals("bob"));
    assertNull(cache.get("token-a", 1));
    assertNull(cache.get("token-b", 1));
  }
}
