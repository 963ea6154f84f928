package tributary.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Answers kept for a fixed time, so a busy path does not ask the database every time. Bounded
 * crudely: when full it starts again empty, which costs only fresh look-ups.
 */
public final class ExpiringCache<K, V> {
  private record Entry<V>(V value, long until) {}

  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long keepMs;
  private final int maxEntries;

  public ExpiringCache(long keepMs, int maxEntries) {
    this.keepMs = keepMs;
    this.maxEntries = maxEntries;
  }

  /** The value kept for the key, or null when there is none or it has expired. */
  public V get(K key, long now) {
    Entry<V> e = entries.get(key);
    return e != null && e.until() > now ? e.value() : null;
  }

  public void put(K key, V value, long now) {
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, now + keepMs));
  }

  public void removeIf(Predicate<K> keyTest) {
    entries.keySet().removeIf(keyTest);
  }

  public void removeValuesIf(Predicate<V> valueTest) {
    entries.values().removeIf(e -> valueTest.test(e.value()));
  }
}
