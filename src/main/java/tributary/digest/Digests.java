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

  /** SHA-256 of the text's UTF-8 bytes, in lower-case hex. */
  public static String sha256Hex(String text) {
    return hex(of("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
