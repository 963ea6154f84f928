package tributary.query;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cache.ChannelCache.Entry;
import tributary.node.NodeState;

/**
 * One client's server-sent event stream of one channel (Q3): every record as
 * {@code id: <cursor> / event: record / data: <json>}, strictly after the cursor it started from,
 * in order, each once (Q4). It reads at the client's pace: the next page is read only when the
 * previous one has left the write buffer, so a slow client costs one bounded buffer and never
 * delays anyone else; a client whose buffer stays full past the stall limit gets a final
 * {@code overflow} event and is disconnected, to resume later from its last id.
 */
public final class SseSession {
  private static final Logger LOG = LoggerFactory.getLogger(SseSession.class);
  public static final int PAGE = 500;
  private static final long RETRY_MS = 1000;

  /** Limits of one stream: buffered bytes, how long a full buffer may last, the heartbeat period. */
  public record Limits(int bufferBytes, long stallMs, long heartbeatMs) {}

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final ChannelReader reader;
  private final LiveChannels live;
  private final String channel;
  private final Limits limits;
  private final PageFilter filter;
  private final LongConsumer onHead = head -> pump();
  private long after;
  private boolean reading;
  private boolean closed;
  private boolean counted;
  private long heartbeatTimer;
  private long stallTimer = -1;

  public SseSession(Vertx vertx, HttpServerResponse response, ChannelReader reader, LiveChannels live, String channel,
      long after, Limits limits) {
    this(vertx, response, reader, live, channel, after, limits, PageFilter.ALL);
  }

  /** A stream that shows the client only what {@code filter} keeps of each page. */
  public SseSession(Vertx vertx, HttpServerResponse response, ChannelReader reader, LiveChannels live, String channel,
      long after, Limits limits, PageFilter filter) {
    this.filter = filter;
    this.vertx = vertx;
    this.response = response;
    this.reader = reader;
    this.live = live;
    this.channel = channel;
    this.after = after;
    this.limits = limits;
  }

  public void start() {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .setWriteQueueMaxSize(limits.bufferBytes());
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    // The retry hint makes browsers reconnect quickly, with Last-Event-ID, after a drop.
    response.write("retry: 1000\n: stream of " + channel + " after " + after + "\n\n");
    live.join(channel, onHead);
    counted = true;
    NodeState.addToGauge(vertx, NodeState.SSE_STREAMS, 1);
    heartbeatTimer = vertx.setPeriodic(limits.heartbeatMs(), t -> {
      if (!response.writeQueueFull()) {
        response.write(": ping\n\n");
      }
    });
    pump();
  }

  /** Reads and writes the next page unless a read is running, the buffer is full, or the client is gone. */
  private void pump() {
    if (closed || reading) {
      return;
    }
    if (response.writeQueueFull()) {
      awaitDrain();
      return;
    }
    reading = true;
    long head = live.head(channel);
    int[] read = new int[1];
    reader.read(channel, after, PAGE, head < 0 ? Long.MAX_VALUE : head).compose(page -> {
      read[0] = page.records().size();
      return filter.apply(page);
    }).onComplete(ar -> {
      reading = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        LOG.warn("stream read failed, retrying [channel: {}, after: {}, cause: {}]", channel, after,
            ar.cause().getMessage());
        vertx.setTimer(RETRY_MS, t -> pump());
        return;
      }
      if (!ar.result().records().isEmpty()) {
        Buffer events = Buffer.buffer();
        for (Entry e : ar.result().records()) {
          events.appendString("id: ").appendString(Long.toString(e.cursor())).appendString("\nevent: record\ndata: ")
              .appendString(e.json()).appendString("\n\n");
        }
        response.write(events);
      }
      after = ar.result().next();
      long known = live.head(channel);
      if (read[0] == PAGE || known > after) {
        pump();
      }
    });
  }

  private void awaitDrain() {
    response.drainHandler(v -> {
      cancelStall();
      pump();
    });
    if (stallTimer < 0) {
      stallTimer = vertx.setTimer(limits.stallMs(), t -> {
        stallTimer = -1;
        if (response.writeQueueFull() && !closed) {
          LOG.info("slow stream disconnected [channel: {}, after: {}]", channel, after);
          response.write("event: overflow\ndata: {\"reason\":\"the client did not keep up; reconnect with "
              + "Last-Event-ID " + after + "\"}\n\n");
          close();
          response.reset();
        }
      });
    }
  }

  private void cancelStall() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  /** Stops the stream's work; safe to call more than once. */
  /** Ends the stream from the node's side (it is stopping); the client resumes elsewhere after the retry hint. */
  public void end() {
    if (!closed) {
      close();
      response.end();
    }
  }

  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (counted) {
      NodeState.addToGauge(vertx, NodeState.SSE_STREAMS, -1);
    }
    live.leave(channel, onHead);
    vertx.cancelTimer(heartbeatTimer);
    cancelStall();
  }
}
