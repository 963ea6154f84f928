package tributary.bus;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Record ids: random (version 4) UUIDs. */
public final class Ids {
  private Ids() {}

  /**
   * A new id from the thread's fast random source rather than {@link UUID#randomUUID()}, whose
   * shared SecureRandom showed up in ingest profiles; ids must be unique, not secret.
   */
  public static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
