package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tributary.fault.Refusal;

class TokensApiTest {
  @Test
  void aTokenThatNeverExpiresMayIssueAnyLifetime() {
    assertNull(TokensApi.withinOwnExpiry(null, null, 1_000));
    assertEquals(5_000L, TokensApi.withinOwnExpiry(5_000L, null, 1_000));
  }

  @Test
  void anExpiringTokenIssuesNothingThatOutlivesIt() {
    assertEquals(9_000L, TokensApi.withinOwnExpiry(null, 10_000L, 1_000), "no lifetime asked: expires with it");
    assertEquals(9_000L, TokensApi.withinOwnExpiry(9_000L, 10_000L, 1_000));
    Refusal longer = assertThrows(Refusal.class, () -> TokensApi.withinOwnExpiry(9_001L, 10_000L, 1_000));
    assertEquals(400, longer.status());
  }

  @Test
  void labelsAreShortAndPrintable() {
    assertEquals("laptop", TokensApi.label("laptop"));
    assertNull(TokensApi.label(null));
    assertThrows(Refusal.class, () -> TokensApi.label("x".repeat(TokensApi.MAX_LABEL_CHARS + 1)));
    assertThrows(Refusal.class, () -> TokensApi.label("a\nb"));
  }
}
