package tributary.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@code --access-log}): one line per request once its answer is written, with the
 * path but never the query, which may carry {@code access_token} (X3). Placed after
 * {@link RequestDeadline}, so each line carries the request's id.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("tributary.access");

  @Override
  public void handle(RoutingContext rc) {
    long began = System.nanoTime();
    rc.addBodyEndHandler(v -> LOG.info(line(rc.request().method().name(), rc.request().path(),
        rc.response().getStatusCode(), rc.response().bytesWritten(), (System.nanoTime() - began) / 1_000_000,
        RequestDeadline.idOf(rc), rc.request().remoteAddress() == null ? "-"
            : rc.request().remoteAddress().hostAddress())));
    rc.next();
  }

  /** One line: {@code GET /v1/channels/a/records 200 512 B 3 ms [request: id, from: 10.0.0.5]}. */
  static String line(String method, String path, int status, long bytes, long ms, String requestId, String from) {
    return method + " " + path + " " + status + " " + bytes + " B " + ms + " ms [request: " + requestId
        + ", from: " + from + "]";
  }
}
