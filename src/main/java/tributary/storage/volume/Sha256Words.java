package tributary.storage.volume;

import java.util.HexFormat;

/**
 * A SHA-256 in lowercase hex as four longs, so that the in-memory tables of a volume set hold
 * numbers in a few large arrays instead of a string per needle (issue 18: per-needle objects were
 * copied by every young collection until promoted, and those pauses made the small-write p99).
 */
final class Sha256Words {
  static final int WORDS = 4;
  private static final HexFormat HEX = HexFormat.of();

  private Sha256Words() {}

  /**
   * Word {@code w} (0 to 3) of a hash in the only form a needle is named by
   * ({@link tributary.digest.Digests#isSha256Hex}).
   */
  static long word(String sha256, int w) {
    return HexFormat.fromHexDigitsToLong(sha256, 16 * w, 16 * w + 16);
  }

  /** The hash whose words start at {@code at} in {@code words}. */
  static String hex(long[] words, int at) {
    StringBuilder b = new StringBuilder(16 * WORDS);
    for (int w = 0; w < WORDS; w++) {
      b.append(HEX.toHexDigits(words[at + w]));
    }
    return b.toString();
  }
}
