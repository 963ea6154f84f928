package tributary.auth;

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

  private Tokens() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    return Digests.sha256Hex(token);
  }
}
