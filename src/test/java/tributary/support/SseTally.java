package tributary.support;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * Follows one server-sent event stream and checks its ids as they come, keeping no event: the
 * ids must be exactly {@code after + 1, after + 2, ...}. For tests with many streams or large
 * records, where {@link SseClient} would keep megabytes per stream.
 */
public final class SseTally {
  private final long after;
  private final StringBuilder line = new StringBuilder();
  private boolean skipping;
  private volatile long last;
  private volatile long count;
  private volatile String violation;
  public final HttpClientResponse response;

  /** Opens {@code path} with the token; with {@code paused} the client reads nothing until {@link #resume()}. */
  public static SseTally open(HttpClient client, int port, String path, String token, long after, boolean paused) {
    return TestEnv.await(openAsync(client, port, path, token, after, paused));
  }

  public static Future<SseTally> openAsync(HttpClient client, int port, String path, String token, long after,
      boolean paused) {
    return client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI(path)
            .putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .map(r -> {
          if (paused) {
            r.pause();
          }
          return new SseTally(r, after);
        });
  }

  private SseTally(HttpClientResponse response, long after) {
    this.response = response;
    this.after = after;
    this.last = after;
    response.handler(this::take);
  }

  private synchronized void take(Buffer chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      char c = (char) chunk.getByte(i);
      if (c == '\n') {
        idLine();
        line.setLength(0);
        skipping = false;
      } else if (!skipping) {
        // Only "id: " lines are kept; a data line is skipped byte by byte, never copied.
        skipping = line.length() < 3 && c != "id:".charAt(line.length());
        if (!skipping) {
          line.append(c);
        }
      }
    }
  }

  private void idLine() {
    if (line.length() > 4) {
      long id = Long.parseLong(line, 4, line.length(), 10);
      if (id != last + 1 && violation == null) {
        violation = "after " + last + " came " + id;
      }
      last = id;
      count++;
    }
  }

  public void resume() {
    response.resume();
  }

  /** How many events arrived. */
  public long count() {
    return count;
  }

  /** True when the ids seen are exactly after+1 .. upTo, each once, in order. */
  public boolean sawExactlyUpTo(long upTo) {
    return violation == null && last == upTo && count == upTo - after;
  }

  @Override
  public String toString() {
    return "stream after " + after + ": " + count + " events, last " + last
        + (violation == null ? "" : ", first violation: " + violation);
  }
}
