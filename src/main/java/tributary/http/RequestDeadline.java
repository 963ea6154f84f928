package tributary.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Ids;
import tributary.fault.Refusal;

/**
 * The last resort behind every route (X7): each request gets an id ({@code X-Request-Id}, the
 * client's when it sends a sane one), and a request whose answer has not begun {@code deadlineMs}
 * after its body arrived is answered 500 with a JSON body naming that id, and logged as the defect
 * it is. Answers already streaming (SSE, downloads) are left alone; a body still arriving (a large
 * upload) re-arms the wait, and one that stopped arriving is answered 408. Long polls wait at most {@link ChannelReads#MAX_WAIT_MS}, well inside
 * the default deadline.
 */
public final class RequestDeadline implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);
  public static final String HEADER = "X-Request-Id";
  public static final long DEFAULT_DEADLINE_MS = ChannelReads.MAX_WAIT_MS + 30_000L;
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final Vertx vertx;
  private final long deadlineMs;

  public RequestDeadline(Vertx vertx, long deadlineMs) {
    this.vertx = vertx;
    this.deadlineMs = deadlineMs;
  }

  /** The id this handler gave the request (X4: log lines about what the request brought name it). */
  public static String idOf(RoutingContext rc) {
    return rc.get(HEADER);
  }

  /** The request's id, as given by the client when it is short and plain, else a new one. */
  public static String idFor(String given) {
    return given != null && SANE_ID.matcher(given).matches() ? given : Ids.newId();
  }

  @Override
  public void handle(RoutingContext rc) {
    String id = idFor(rc.request().getHeader(HEADER));
    rc.put(HEADER, id);
    rc.response().putHeader(HEADER, id);
    Watch watch = new Watch(rc, id);
    watch.arm();
    rc.addEndHandler(ar -> vertx.cancelTimer(watch.timer));
    rc.next();
  }

  /** One request's deadline; re-armed while its body keeps arriving. */
  private final class Watch {
    private final RoutingContext rc;
    private final String id;
    private long timer;
    private long bytesSeen;

    Watch(RoutingContext rc, String id) {
      this.rc = rc;
      this.id = id;
    }

    void arm() {
      bytesSeen = rc.request().bytesRead();
      timer = vertx.setTimer(deadlineMs, t -> expire());
    }

    private void expire() {
      if (rc.response().ended() || rc.response().closed() || rc.response().headWritten()) {
        return;
      }
      if (bodyExpected() && !rc.request().isEnded()) {
        if (rc.request().bytesRead() > bytesSeen) {
          arm();
          return;
        }
        rc.response().putHeader("Connection", "close");
        Failures.write(rc.response(), new Refusal(408, "request_timeout",
            "the request body stopped arriving for " + deadlineMs + " ms (request id " + id + ")"));
        return;
      }
      LOG.error("request left without an answer; answering 500 [request: {}, method: {}, path: {}, after: {} ms]",
          id, rc.request().method(), rc.normalizedPath(), deadlineMs);
      Failures.write(rc.response(), new Refusal(500, "internal",
          "no answer within " + deadlineMs + " ms; this is a defect, report request id " + id));
    }

    /** A request with no body may show as unfinished only because the router paused it. */
    private boolean bodyExpected() {
      String length = rc.request().getHeader("Content-Length");
      return rc.request().getHeader("Transfer-Encoding") != null || (length != null && !length.equals("0"));
    }
  }
}
