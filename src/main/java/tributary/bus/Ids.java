package tributary.bus;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Record ids: time-ordered UUIDs (version 7: 48 bits of epoch milliseconds, then random bits). */
public final class Ids {
  private Ids() {}

  /**
   * A new id. Time order keeps the id index's inserts at its right edge; random (version 4) ids
   * scattered them over the whole index, which, once it outgrew memory, made every commit read
   * pages and write full-page images to the WAL (measured: commits 20x slower after a million
   * rows). The random part comes from the thread's fast source: ids must be unique, not secret.
   */
  public static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }

  /**
   * The id of record {@code index} of a request made with an idempotency key: the same sender,
   * channel, key and index give the same id, so a repeated request is de-duplicated record by
   * record. The sender is part of it, so nobody can make ids that collide with another's.
   */
  public static String derived(String sender, String channel, String key, int index) {
    String name = "tributary-idempotency\n" + sender + "\n" + channel + "\n" + key + "\n" + index;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
