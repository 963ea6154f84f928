package tributary.query;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.cache.ChannelCache.Entry;
import tributary.node.NodeState;
import tributary.query.SseFrames.Frame;

/**
 * One client's server-sent event stream of one channel (Q3): every record as
 * {@code id: <cursor> / event: record / data: <json>}, strictly after the cursor it started from,
 * in order, each once (Q4). A stream at the head is attached to its channel's {@link ChannelTail}
 * and written the frames the node encoded once for all its readers; a stream behind the tail's
 * ring catches up from the store at its client's pace (the next page is read only when the
 * previous one has left the write buffer) and then joins the tail. Whatever the tail offers, the
 * stream writes only what continues exactly from its own last cursor; anything else lets it go
 * of the tail to catch up on its own. A stream whose buffer fills is let go too, so a slow client
 * costs one bounded buffer and never delays anyone else; a client whose buffer stays full past
 * the stall limit gets a final {@code overflow} event and is disconnected, to resume later from
 * its last id. Streams whose reader is shown only part of the channel ({@link PageFilter}) never
 * attach: they read the store, woken by the tail.
 */
public final class SseSession implements ChannelTail.Reader {
  private static final Logger LOG = LoggerFactory.getLogger(SseSession.class);
  /** Records one store read of a stream catching up asks for: large pages, few round trips. */
  public static final int PAGE = 2000;
  private static final long RETRY_MS = 1000;

  /** Limits of one stream: buffered bytes, and how long a full buffer may last. */
  public record Limits(int bufferBytes, long stallMs) {}

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final ChannelReader reader;
  private final LiveChannels live;
  private final String channel;
  private final Limits limits;
  private final PageFilter filter;
  private ChannelTail tail;
  private long after;
  private boolean reading;
  /** The last store read ended short of a page: nothing newer was committed when it ran. */
  private boolean atStoreEnd;
  private boolean closed;
  private long stallTimer = -1;
  /** A store read started ahead for the page after {@link #aheadFrom}, taken by the next read of that page. */
  private Future<Read> ahead;
  private long aheadFrom;

  /**
   * Where a stream starts: after a cursor the client gave, or at the channel's end as the store
   * answered it just now (then nothing needs reading before the stream joins the tail).
   */
  public record Start(long after, boolean atChannelEnd) {
    public static Start after(long cursor) {
      return new Start(cursor, false);
    }

    public static Start atEnd(long head) {
      return new Start(head, true);
    }
  }

  /** A stream that shows the client only what {@code filter} keeps of each page. */
  public SseSession(Vertx vertx, HttpServerResponse response, ChannelReader reader, LiveChannels live, String channel,
      Start start, Limits limits, PageFilter filter) {
    this.filter = filter;
    this.vertx = vertx;
    this.response = response;
    this.reader = reader;
    this.live = live;
    this.channel = channel;
    this.after = start.after();
    this.atStoreEnd = start.atChannelEnd();
    this.limits = limits;
  }

  public void start() {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // Never compressed, though browsers ask: compressed, a stream held a zlib state (146 KiB of
        // node memory per stream against 21) and each delivery deflated a frame encoded once per node.
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .setWriteQueueMaxSize(limits.bufferBytes());
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    // The retry hint makes browsers reconnect quickly, with Last-Event-ID, after a drop.
    response.write("retry: 1000\n: stream of " + channel + " after " + after + "\n\n");
    tail = live.join(channel, this);
    if (atStoreEnd) {
      tail.seed(after);
    }
    NodeState.addToGauge(vertx, NodeState.SSE_STREAMS, 1);
    pump();
  }

  @Override
  public boolean offer(ChannelTail.Batch batch) {
    if (closed || batch.last() <= after) {
      return true;
    }
    if (batch.first() > after + 1) {
      return false;
    }
    response.write(batch.after(after));
    after = batch.last();
    return !response.writeQueueFull();
  }

  @Override
  public void advanced(long head) {
    pump();
  }

  @Override
  public void ping() {
    if (!closed && !response.writeQueueFull()) {
      response.write(SseFrames.PING);
    }
  }

  /**
   * Unless attached, reading, waiting for a drain or gone: joins the tail when its ring holds
   * what the client lacks, else reads and writes the next page from the store.
   */
  private void pump() {
    if (closed || reading || tail.isAttached(this)) {
      return;
    }
    if (response.writeQueueFull()) {
      awaitDrain();
      return;
    }
    if (filter == PageFilter.ALL && joinTail()) {
      return;
    }
    reading = true;
    storeRead(after).onComplete(ar -> {
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
      Read read = ar.result();
      long next = read.shown().next();
      boolean full = read.fetched() == PAGE;
      if (full && farBehind(next) && !response.writeQueueFull()) {
        // The next page is read while this one is encoded and written, so the store's time and ours
        // overlap; not for a client that is not keeping up, which would only hold one more page.
        Future<Read> following = storeRead(next);
        aheadFrom = next;
        ahead = following;
      }
      if (!read.shown().records().isEmpty()) {
        Buffer events = Buffer.buffer();
        for (Entry e : read.shown().records()) {
          SseFrames.append(events, e.cursor(), e.json());
        }
        response.write(events);
      }
      after = next;
      atStoreEnd = !full;
      if (full || tail.head() > after || filter == PageFilter.ALL) {
        pump();
      }
    });
  }

  /** What one store read gave: the page as the client may see it, and how many records the store had. */
  private record Read(ChannelReader.Page shown, int fetched) {}

  /** The page after {@code from}: the read started ahead for it if there is one, else a new read. */
  private Future<Read> storeRead(long from) {
    Future<Read> started = ahead;
    ahead = null;
    if (started != null && aheadFrom == from) {
      return started;
    }
    long head = tail.head();
    return live.catchUp(() -> closed ? Future.succeededFuture(new ChannelReader.Page(List.of(), from))
        : reader.read(channel, from, PAGE, head < 0 ? Long.MAX_VALUE : head))
        .compose(page -> filter.apply(page).map(shown -> new Read(shown, page.records().size())));
  }

  /** True when {@code cursor} is further behind the channel's head than the tail's ring reaches. */
  private boolean farBehind(long cursor) {
    long head = tail.head();
    return head < 0 || head - cursor > LiveChannels.RING_FRAMES;
  }

  /** Joins the tail if its ring holds everything after this stream's cursor; false to read the store first. */
  private boolean joinTail() {
    List<Frame> missing = tail.join(after, atStoreEnd);
    if (missing == null) {
      return false;
    }
    if (!missing.isEmpty()) {
      response.write(ChannelTail.join(missing));
      after = missing.get(missing.size() - 1).cursor();
    }
    if (response.writeQueueFull()) {
      awaitDrain();
    } else {
      tail.attach(this);
    }
    return true;
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
    if (tail != null) {
      NodeState.addToGauge(vertx, NodeState.SSE_STREAMS, -1);
      live.leave(channel, this);
    }
    cancelStall();
  }
}
