package tributary.faults;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * An SSE client on one channel that, like a browser's EventSource, reconnects with Last-Event-ID
 * when its stream is cut, ends, or goes silent (no event and no heartbeat for
 * {@code silenceMs}: a frozen node), moving on to the next HTTP face. Every event id it takes is
 * logged, once the event's closing blank line has arrived.
 */
final class ResumingReader {
  private static final long RECONNECT_PAUSE_MS = 200;

  private final Vertx vertx;
  private final HttpClient client;
  private final String name;
  private final String channel;
  private final String token;
  private final List<Integer> faces;
  private final AckLog log;
  private final long silenceMs;
  private int face;
  private volatile long lastId;
  private volatile long lastHeardAt = System.currentTimeMillis();
  private volatile boolean closed;
  private HttpClientResponse current;
  private StringBuilder pending = new StringBuilder();
  private Long pendingId;
  private long timer;
  volatile long reconnects;

  ResumingReader(Vertx vertx, HttpClient client, String name, String channel, String token, List<Integer> faces,
      int face, AckLog log, long silenceMs) {
    this.vertx = vertx;
    this.client = client;
    this.name = name;
    this.channel = channel;
    this.token = token;
    this.faces = faces;
    this.face = face;
    this.log = log;
    this.silenceMs = silenceMs;
  }

  String name() {
    return name;
  }

  String channel() {
    return channel;
  }

  long lastId() {
    return lastId;
  }

  void start() {
    vertx.runOnContext(v -> {
      timer = vertx.setPeriodic(silenceMs / 4, t -> {
        if (!closed && current != null && System.currentTimeMillis() - lastHeardAt > silenceMs) {
          cut("silent for " + silenceMs + " ms");
        }
      });
      connect();
    });
  }

  private void connect() {
    if (closed) {
      return;
    }
    int port = faces.get(Math.floorMod(face, faces.size()));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/channels/" + channel + "/stream" + (lastId == 0 ? "?after=0" : ""))
        .putHeader("Accept", "text/event-stream").putHeader("Authorization", "Bearer " + token)
        .setConnectTimeout(5_000);
    if (lastId > 0) {
      options.putHeader("Last-Event-ID", String.valueOf(lastId));
    }
    pending = new StringBuilder();
    pendingId = null;
    lastHeardAt = System.currentTimeMillis();
    client.request(options).compose(req -> req.send()).onComplete(ar -> {
      if (ar.failed()) {
        retry();
        return;
      }
      HttpClientResponse r = ar.result();
      if (r.statusCode() != 200) {
        r.body().onComplete(b -> retry());
        return;
      }
      current = r;
      r.handler(buffer -> {
        lastHeardAt = System.currentTimeMillis();
        parse(buffer.toString());
      });
      r.endHandler(v -> ended(r));
      r.exceptionHandler(e -> ended(r));
    });
  }

  private void ended(HttpClientResponse r) {
    if (current == r) {
      current = null;
      retry();
    }
  }

  /** Drops a stream that went silent (its node frozen) and resumes elsewhere. */
  private void cut(String why) {
    HttpClientResponse r = current;
    current = null;
    if (r != null) {
      r.request().connection().close();
    }
    retry();
  }

  private void retry() {
    if (closed) {
      return;
    }
    reconnects++;
    face++;
    vertx.setTimer(RECONNECT_PAUSE_MS, t -> connect());
  }

  private void parse(String chunk) {
    pending.append(chunk);
    int end;
    while ((end = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, end);
      pending.delete(0, end + 1);
      if (line.startsWith("id:")) {
        pendingId = Long.parseLong(line.substring(3).trim());
      } else if (line.isEmpty() && pendingId != null) {
        lastId = pendingId;
        log.sse(name, channel, pendingId);
        pendingId = null;
      }
    }
  }

  void close() {
    closed = true;
    vertx.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (current != null) {
        current.request().connection().close();
      }
    });
  }
}
