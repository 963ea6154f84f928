package tributary.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Answers kept for a fixed time, so a busy path does not ask the database every time. Bounded by
 * Caffeine, which evicts the entries least worth keeping when full; an entry is good until
 * {@code keepMs} after it was put, by the caller's clock (so tests need not wait).
 */
public final class ExpiringCache<K, V> {
  private record Entry<V>(V value, long until) {}

  private final Cache<K, Entry<V>> entries;
  private final long keepMs;

  public ExpiringCache(long keepMs, int maxEntries) {
    this.keepMs = keepMs;
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(Duration.ofMillis(keepMs)).build();
  }

  /** The value kept for the key, or null when there is none or it has expired. */
  public V get(K key, long now) {
    Entry<V> e = entries.getIfPresent(key);
    return e != null && e.until() > now ? e.value() : null;
  }

  public void put(K key, V value, long now) {
    entries.put(key, new Entry<>(value, now + keepMs));
  }

  public void removeIf(Predicate<K> keyTest) {
    entries.asMap().keySet().removeIf(keyTest);
  }

  public void removeValuesIf(Predicate<V> valueTest) {
    entries.asMap().values().removeIf(e -> valueTest.test(e.value()));
  }

  /** Entries held now (after pending evictions), for tests of the bound. */
  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }
}
