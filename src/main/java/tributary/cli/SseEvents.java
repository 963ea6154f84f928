package tributary.cli;

import java.util.Optional;

/**
 * Server-sent events read line by line: {@code id:}, {@code event:}, {@code data:} (several are
 * joined by newlines) and {@code retry:} fields; comments ({@code :}) are skipped; a blank line
 * ends an event. An event cut off by a lost connection is never returned.
 */
final class SseEvents {
  /** One whole event: its id (null when it had none), name ("message" by default) and data. */
  record Event(String id, String name, String data) {}

  private String id;
  private String name;
  private StringBuilder data;
  private long retryMs = -1;

  /** Takes one line (without its end); the event it completes, if any. */
  Optional<Event> line(String line) {
    if (line.isEmpty()) {
      Optional<Event> event = data == null ? Optional.empty()
          : Optional.of(new Event(id, name == null ? "message" : name, data.toString()));
      id = null;
      name = null;
      data = null;
      return event;
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(line.length() > colon + 1 && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
    switch (field) {
      case "id" -> id = value;
      case "event" -> name = value;
      case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      case "retry" -> {
        if (value.matches("\\d{1,9}")) {
          retryMs = Long.parseLong(value);
        }
      }
      default -> { }
    }
    return Optional.empty();
  }

  /** The reconnection delay the server asked for, or -1. */
  long retryMs() {
    return retryMs;
  }

  /** Forgets a half-read event (the connection that carried it is gone). */
  void reset() {
    id = null;
    name = null;
    data = null;
  }
}
