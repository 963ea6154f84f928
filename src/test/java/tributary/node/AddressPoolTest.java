package tributary.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  private static final AddressPool POOL = new AddressPool(List.of("http://10.0.0.1:8080", "http://10.0.0.2:8080"));

  @Test
  void withoutAPoolANodeIsReachedWhereItSays() {
    AddressPool none = new AddressPool(List.of());
    assertEquals(new AddressPool.Assignment("http://edge:8080", AddressPool.Source.REPORTED),
        none.assign(null, Set.of(), "http://edge:8080"));
    assertFalse(none.needsChoice(null));
  }

  @Test
  void aNewNodeTakesTheFirstAddressNoOtherNodeHolds() {
    assertEquals("http://10.0.0.2:8080",
        POOL.assign(null, Set.of("http://10.0.0.1:8080"), "http://edge:8080").address());
  }

  @Test
  void aNodeKeepsItsPoolAddressAcrossRegistrations() {
    assertFalse(POOL.needsChoice("http://10.0.0.2:8080"));
    assertEquals(new AddressPool.Assignment("http://10.0.0.2:8080", AddressPool.Source.POOL),
        POOL.assign("http://10.0.0.2:8080", Set.of("http://10.0.0.1:8080"), "http://edge:8080"));
  }

  @Test
  void anAddressRemovedFromThePoolIsReplaced() {
    assertTrue(POOL.needsChoice("http://10.0.0.9:8080"));
    assertEquals("http://10.0.0.1:8080", POOL.assign("http://10.0.0.9:8080", Set.of(), "http://edge:8080").address());
  }

  @Test
  void anExhaustedPoolFallsBackToTheReportedAddressAndSaysSo() {
    assertEquals(new AddressPool.Assignment("http://edge:8080", AddressPool.Source.POOL_EXHAUSTED),
        POOL.assign(null, Set.of("http://10.0.0.1:8080", "http://10.0.0.2:8080"), "http://edge:8080"));
    assertEquals("pool-exhausted", AddressPool.Source.POOL_EXHAUSTED.id());
  }
}
