package tributary.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

  @Test
  void secretsCompareEqualOnlyWhenEqual() {
    String secret = Tokens.generate();
    assertTrue(Tokens.sameSecret(secret, new String(secret)));
    assertFalse(Tokens.sameSecret(secret, secret + "x"));
    assertFalse(Tokens.sameSecret(secret, secret.substring(1)));
    assertFalse(Tokens.sameSecret(secret, ""));
    assertFalse(Tokens.sameSecret(secret, null));
  }

  @Test
  void tokenIdsAreUniqueAndNeverTokens() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Tokens.newId();
      assertTrue(id.startsWith(Tokens.ID_PREFIX) && !id.startsWith(Tokens.PREFIX), id);
      assertTrue(id.matches("[A-Za-z0-9_-]+"), "fits a path parameter: " + id);
      assertTrue(seen.add(id));
    }
  }

  @Test
  void aGrantExpiresAtItsExpiryAndNeverWithoutOne() {
    Principal bob = new Principal("bob", Principal.Kind.USER);
    TokenStore.Grant expiring = new TokenStore.Grant(bob, "tok_1", 1_000L);
    assertFalse(expiring.expired(999));
    assertTrue(expiring.expired(1_000));
    assertFalse(new TokenStore.Grant(bob, "tok_2", null).expired(Long.MAX_VALUE));
  }

  @Test
  void anIssuedTokenExpiresAfterItsLifetimeAndItsListFormHidesIt() {
    TokenStore.Issued issued = TokenStore.Issued.make("ci", 1_000, 60_000L);
    assertEquals(61_000L, issued.info().expiresAt());
    assertEquals("1970-01-01T00:01:01Z", issued.info().toJson().getString("expiresAt"));
    assertFalse(issued.info().toJson().encode().contains(issued.token()));
    assertEquals(issued.token(), issued.toJson().getString("token"));
    assertNull(TokenStore.Issued.make("forever", 1_000, null).info().expiresAt());
  }
}
