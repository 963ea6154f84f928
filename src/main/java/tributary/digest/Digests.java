package tributary.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one way to take a digest and write it as hex: SHA-256 of tokens and payloads, SHA-256 and MD5 of blobs. */
public final class Digests {
  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  /** A fresh digest of a standard algorithm ("SHA-256", "MD5"), which every JDK has. */
  public static MessageDigest of(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  /** Lower-case hex of the bytes. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Whether {@code text} is a SHA-256 as this class writes one: 64 lower-case hex digits. */
  public static boolean isSha256Hex(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** SHA-256 of the text's UTF-8 bytes, in lower-case hex. */
  public static String sha256Hex(String text) {
    return hex(of("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
