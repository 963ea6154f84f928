package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {
  private static final long IDLE_MS = 1000;

  @Test
  void connectionsCountFromAcceptAndOnePastTheLimitIsRefused() {
    ConnectionSlots<String> slots = new ConnectionSlots<>(3, IDLE_MS);
    for (String c : List.of("a", "b", "c")) {
      assertEquals(List.of(), slots.accepted(c, 0));
      slots.requestStarted(c);
    }
    assertEquals(List.of(), slots.accepted("d", 0));
    assertEquals(4, slots.open(), "counted before its first request");
    assertFalse(slots.admitted("d"), "past the limit");
    slots.closed("d");
    slots.closed("a");
    slots.accepted("e", 0);
    assertTrue(slots.admitted("e"), "a slot freed by a close is taken again");
  }

  @Test
  void idleConnectionsNeverTakeTheShareKeptForRequests() {
    ConnectionSlots<String> slots = new ConnectionSlots<>(10, IDLE_MS);
    assertEquals(9, slots.idleShare());
    List<String> closed = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      closed.addAll(slots.accepted("idle-" + i, i));
    }
    assertEquals(List.of("idle-0", "idle-1", "idle-2", "idle-3", "idle-4", "idle-5"), closed, "oldest idle first");
    assertEquals(9, slots.open());
    assertEquals(List.of("idle-6"), slots.accepted("client", 20));
    assertTrue(slots.admitted("client"));
    slots.requestStarted("client");
    assertEquals(List.of(), slots.accepted("idle-15", 21), "a connection in a request is never closed for room");
  }

  @Test
  void aConnectionIdleForTheTimeoutIsClosedAndOneInARequestIsNot() {
    ConnectionSlots<String> slots = new ConnectionSlots<>(100, IDLE_MS);
    slots.accepted("silent", 0);
    slots.accepted("keep-alive", 0);
    slots.accepted("streaming", 0);
    slots.requestStarted("keep-alive");
    slots.requestStarted("streaming");
    assertEquals(List.of(), slots.requestEnded("keep-alive", 500));
    assertEquals(List.of(), slots.expired(999));
    assertEquals(List.of("silent"), slots.expired(1000));
    assertEquals(List.of(), slots.expired(1499), "idle from its last answer");
    assertEquals(List.of("keep-alive"), slots.expired(1500));
    assertEquals(List.of(), slots.expired(60_000), "a request in progress is not idle");
    assertEquals(1, slots.open());
  }
}
