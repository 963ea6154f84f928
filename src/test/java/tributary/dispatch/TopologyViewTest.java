package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyViewTest {
  @Test
  void anOlderTopologyArrivingLateDoesNotUndoANewerOne() {
    TopologyView view = new TopologyView();
    Topology v2 = new Topology(2, List.of(), Map.of("alice", 1));
    Topology v3 = new Topology(3, List.of(), Map.of("alice", 2));
    assertTrue(view.offer(v3));
    assertFalse(view.offer(v2));
    assertFalse(view.offer(new Topology(3, List.of(), Map.of())), "the same version changes nothing");
    assertEquals(2, view.current().workerOf("alice"));
  }
}
