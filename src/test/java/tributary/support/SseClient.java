package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads one server-sent event stream, keeping every event id, event name and comment it sees. */
public final class SseClient implements AutoCloseable {
  private final Vertx ownVertx;
  private HttpClientResponse response;
  public final List<Long> ids = new CopyOnWriteArrayList<>();
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<String> data = new CopyOnWriteArrayList<>();
  public final List<String> comments = new CopyOnWriteArrayList<>();
  public volatile int status;
  public volatile boolean ended;
  private final StringBuilder pending = new StringBuilder();
  private final StringBuffer body = new StringBuffer();

  /** Opens {@code path} on the node's port with a Vert.x instance of its own; {@code lastEventId} may be null. */
  public SseClient(int port, String path, String token, String lastEventId) {
    this(Vertx.vertx(), port, path, token, lastEventId);
  }

  /** Opens a stream on a shared client (many streams at once); closing it closes only this stream. */
  public SseClient(HttpClient client, int port, String path, String token, String lastEventId) {
    this(null, client, port, path, token, lastEventId);
  }

  private SseClient(Vertx vertx, int port, String path, String token, String lastEventId) {
    this(vertx, vertx.createHttpClient(), port, path, token, lastEventId);
  }

  private SseClient(Vertx ownVertx, HttpClient client, int port, String path, String token, String lastEventId) {
    this.ownVertx = ownVertx;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).putHeader("Accept", "text/event-stream");
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // Handlers are set as the response arrives, on its event loop, so a short answer is not missed.
    response = await(client.request(options).compose(req -> req.send().map(r -> {
      r.handler(buffer -> {
        body.append(buffer.toString());
        parse(buffer.toString());
      });
      r.endHandler(v -> ended = true);
      r.exceptionHandler(e -> ended = true);
      return r;
    })));
    status = response.statusCode();
  }

  /** Everything received, for answers that are not streams. */
  public String body() {
    return body.toString();
  }

  private synchronized void parse(String chunk) {
    pending.append(chunk);
    int end;
    while ((end = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, end);
      pending.delete(0, end + 1);
      if (line.startsWith("id: ")) {
        ids.add(Long.parseLong(line.substring(4)));
      } else if (line.startsWith("event: ")) {
        events.add(line.substring(7));
      } else if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      } else if (line.startsWith(":")) {
        comments.add(line);
      }
    }
  }

  /** The last event id seen, as a client would send it in Last-Event-ID. */
  public String lastId() {
    return ids.isEmpty() ? null : String.valueOf(ids.get(ids.size() - 1));
  }

  /** True when the ids seen are exactly first..last, in order. */
  public boolean sawExactly(long first, long last) {
    List<Long> seen = List.copyOf(ids);
    if (seen.size() != last - first + 1) {
      return false;
    }
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i) != first + i) {
        return false;
      }
    }
    return true;
  }

  /** Closes the stream's connection first: a client closing gracefully would wait for the endless response. */
  @Override
  public void close() {
    if (!ended) {
      await(response.request().connection().close().otherwiseEmpty());
    }
    if (ownVertx != null) {
      await(ownVertx.close());
    }
  }
}
