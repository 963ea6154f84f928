package tributary.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreDistinctVersion4Uuids() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = Ids.newId();
      UUID uuid = UUID.fromString(id);
      assertEquals(4, uuid.version());
      assertEquals(2, uuid.variant());
      assertTrue(seen.add(id));
    }
  }
}
