package tributary.faults;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The clients' own append-only log, one JSON object a line, written as things happen and kept
 * apart from every store the checker compares it with: each acknowledgement a writer got (with
 * when it first sent and when the answer came), each event id an SSE reader saw, each fault's
 * start and end.
 */
final class AckLog implements AutoCloseable {
  static final String RECORD = "record";
  static final String TASK = "task";
  static final String BLOB = "blob";
  static final String SSE = "sse";
  static final String FAULT = "fault";
  static final String REFUSED = "refused";

  private final Path file;
  private final BufferedWriter out;

  AckLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.getParent());
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  Path file() {
    return file;
  }

  /** A record acknowledged (202) with its cursor; {@code marker} is unique to it in its payload. */
  void record(String channel, String id, long cursor, String marker, long sentAt, long ackedAt) {
    append(new JsonObject().put("k", RECORD).put("channel", channel).put("id", id).put("cursor", cursor)
        .put("marker", marker).put("sent", sentAt).put("acked", ackedAt));
  }

  /** A send_data task acknowledged (202); {@code marker} is its whole payload. */
  void task(String taskId, String dest, String marker, long sentAt, long ackedAt) {
    append(new JsonObject().put("k", TASK).put("task", taskId).put("dest", dest).put("marker", marker)
        .put("sent", sentAt).put("acked", ackedAt));
  }

  /** A blob upload acknowledged (201) with the SHA-256 of the bytes sent. */
  void blob(String blobId, String sha256, long sentAt, long ackedAt) {
    append(new JsonObject().put("k", BLOB).put("blob", blobId).put("sha256", sha256).put("sent", sentAt)
        .put("acked", ackedAt));
  }

  /** An answer that was not an acknowledgement ({@code status} 0: no answer at all), for X7. */
  void refused(String kind, int status, String error, long at) {
    append(new JsonObject().put("k", REFUSED).put("kind", kind).put("status", status).put("error", error)
        .put("at", at));
  }

  /** An event id an SSE reader saw on a channel. */
  void sse(String client, String channel, long id) {
    append(new JsonObject().put("k", SSE).put("client", client).put("channel", channel).put("id", id));
  }

  /** A fault, from its first blow until everything it touched was back. */
  void fault(String name, String what, long from, long to) {
    append(new JsonObject().put("k", FAULT).put("name", name).put("what", what).put("from", from).put("to", to));
  }

  private synchronized void append(JsonObject line) {
    try {
      out.write(line.encode());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of a log file, in order. */
  static List<JsonObject> read(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
