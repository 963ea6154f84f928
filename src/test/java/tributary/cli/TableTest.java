package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsArePaddedToTheirWidestCell() {
    assertEquals("""
        NODE    ROLES
        a       all
        node-2  edge,core
        """, Table.render(List.of("NODE", "ROLES"), List.of(List.of("a", "all"), List.of("node-2", "edge,core"))));
  }
}
