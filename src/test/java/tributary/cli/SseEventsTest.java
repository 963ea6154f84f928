package tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  @Test
  void anEventIsWholeOnlyAtItsBlankLine() {
    SseEvents events = new SseEvents();
    assertTrue(events.line("retry: 1000").isEmpty());
    assertTrue(events.line(": stream of c after 0").isEmpty());
    assertTrue(events.line("").isEmpty(), "a comment alone is no event");
    assertTrue(events.line("id: 7").isEmpty());
    assertTrue(events.line("event: record").isEmpty());
    assertTrue(events.line("data: {\"a\":1}").isEmpty());
    assertEquals(Optional.of(new SseEvents.Event("7", "record", "{\"a\":1}")), events.line(""));
    assertEquals(1000, events.retryMs());
  }

  @Test
  void dataLinesJoinAndNamesDefault() {
    SseEvents events = new SseEvents();
    events.line("data:one");
    events.line("data: two");
    assertEquals(Optional.of(new SseEvents.Event(null, "message", "one\ntwo")), events.line(""));
  }

  @Test
  void aHalfReadEventIsForgottenOnReset() {
    SseEvents events = new SseEvents();
    events.line("id: 8");
    events.line("event: record");
    events.line("data: {\"a\"");
    events.reset();
    assertTrue(events.line("").isEmpty(), "the cut event is never returned");
  }
}
