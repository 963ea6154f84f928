package tributary.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void tokensAreUniqueAndCarryThePrefix() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = Tokens.generate();
      assertTrue(token.startsWith(Tokens.PREFIX));
      assertEquals(Tokens.PREFIX.length() + 43, token.length());
      assertTrue(seen.add(token));
    }
  }

  @Test
  void hashIsStableHexSha256AndNeverTheToken() {
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Tokens.hash("hello"));
    String token = Tokens.generate();
    assertEquals(Tokens.hash(token), Tokens.hash(token));
    assertNotEquals(token, Tokens.hash(token));
    assertNotEquals(Tokens.hash(token), Tokens.hash(token + "x"));
  }
}
