package tributary.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tributary.bus.EdgeGrant;

class NodeStateTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aRegistrationAnswerThatCrossedAPushedGrantDoesNotUndoIt() {
    assertNull(NodeState.grant(vertx));
    EdgeGrant first = new EdgeGrant(List.of(), 5, 1, 0, null);
    EdgeGrant pushed = new EdgeGrant(List.of("meter"), 2, 1, 1_000, null);
    NodeState.setGrant(vertx, first);
    NodeState.setGrant(vertx, pushed);
    NodeState.setGrant(vertx, first);
    assertEquals(pushed, NodeState.grant(vertx));
    EdgeGrant later = new EdgeGrant(List.of(), 3, 1, 2_000, null);
    NodeState.setGrant(vertx, later);
    assertEquals(later, NodeState.grant(vertx));
  }
}
