package tributary.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import tributary.digest.Digests;

/**
 * Bearer tokens: 256 random bits, shown once; only their SHA-256 is stored. A fast hash is right
 * here because the tokens are random, not chosen by people, so there is nothing to guess.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String PREFIX = "trb_";
  public static final String ID_PREFIX = "tok_";

  private Tokens() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A token's public id, shown in lists and used to revoke it; it grants nothing. */
  public static String newId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether a presented secret equals the expected one, in time that does not depend on where they differ. */
  public static boolean sameSecret(String expected, String presented) {
    return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  public static String hash(String token) {
    return Digests.sha256Hex(token);
  }
}
