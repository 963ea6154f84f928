package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import tributary.cache.ReadCounter;
import tributary.query.ChannelReader;
import tributary.query.ChannelTail;
import tributary.query.LiveChannels;
import tributary.query.PageFilter;
import tributary.query.SseSession;
import tributary.store.RecordStore;

/**
 * Reading a channel over HTTP, by cursor (Q2, with long poll) and as a live stream (Q3): used by
 * the channel routes and by every route that reads a channel under another name (a user's queue,
 * an edge's feed). The query is read before any asynchronous step; the read goes on only once the
 * caller's right to read has been granted.
 */
public final class ChannelReads {
  public static final int DEFAULT_PAGE = 100;
  public static final int MAX_PAGE = 1000;
  public static final int MAX_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final ChannelReader reader;
  private final LiveChannels live;
  private final RecordStore records;
  private final ReadCounter reads;
  private final Supplier<SseSession.Limits> limits;

  public ChannelReads(Vertx vertx, ChannelReader reader, LiveChannels live, RecordStore records, ReadCounter reads,
      Supplier<SseSession.Limits> limits) {
    this.vertx = vertx;
    this.reader = reader;
    this.live = live;
    this.records = records;
    this.reads = reads;
    this.limits = limits;
  }

  /** The page size a request asks for in {@code ?limit=}; {@link #DEFAULT_PAGE} when absent. */
  public static int limit(RoutingContext rc) {
    return Params.integer(rc, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
  }

  /** What a page read asks for: {@code after}, {@code limit} and {@code wait} of the query. */
  private record PageAsk(long after, int limit, long waitMs) {
    static PageAsk of(RoutingContext rc) {
      return new PageAsk(Params.cursor(rc, "after", 0), ChannelReads.limit(rc), Params.integer(rc, "wait", 0, 0, MAX_WAIT_MS));
    }
  }

  /** A page of the channel to a caller already allowed to read it. */
  public void readPage(RoutingContext rc, String channel, PageFilter filter) {
    readPage(rc, channel, Future.succeededFuture(), filter);
  }

  /**
   * Q2: the records after a cursor and the cursor to continue from, once {@code allowed} succeeds.
   * With {@code wait=ms} (at most {@link #MAX_WAIT_MS}) a read at the end of the channel waits for
   * the next commit instead of answering an empty page at once (long poll).
   */
  public void readPage(RoutingContext rc, String channel, Future<?> allowed, PageFilter filter) {
    PageAsk ask = PageAsk.of(rc);
    Guarded.then(rc, allowed, v -> {
      reads.count(channel);
      Guarded.then(rc, reader.read(channel, ask.after(), ask.limit()), page -> {
        if (page.records().isEmpty() && ask.waitMs() > 0) {
          awaitCommit(rc, channel, ask.waitMs(), () -> Guarded.then(rc,
              reader.read(channel, ask.after(), ask.limit()).compose(filter::apply),
              later -> writePage(rc, channel, later)));
        } else {
          Guarded.then(rc, filter.apply(page), shown -> writePage(rc, channel, shown));
        }
      });
    });
  }

  /** A live stream to a caller already allowed to read the channel. */
  public void stream(RoutingContext rc, String channel, PageFilter filter) {
    stream(rc, channel, Future.succeededFuture(), filter);
  }

  /**
   * A live stream (Q3), once {@code allowed} succeeds, from the cursor in Last-Event-ID or ?after=,
   * or else from the channel's current end (only records committed from now on).
   */
  public void stream(RoutingContext rc, String channel, Future<?> allowed, PageFilter filter) {
    String lastEventId = rc.request().getHeader("Last-Event-ID");
    Long from = lastEventId != null ? Long.valueOf(Params.cursor(lastEventId, "Last-Event-ID"))
        : rc.queryParams().contains("after") ? Long.valueOf(Params.cursor(rc, "after", 0)) : null;
    Guarded.then(rc, allowed, v -> {
      reads.count(channel);
      // The channel's end as this node's tail knows it, else as the store says (Q3: new records only).
      Future<SseSession.Start> start = from != null ? Future.succeededFuture(SseSession.Start.after(from))
          : live.end(channel, () -> records.head(channel)).map(SseSession.Start::atEnd);
      Guarded.then(rc, start, at -> {
        SseSession session = new SseSession(vertx, rc.response(), reader, live, channel, at, limits.get(), filter);
        session.start();
        // A node that stops ends its streams at once, so it drains in time; the client resumes
        // elsewhere after the retry hint, with Last-Event-ID.
        rc.request().connection().shutdownHandler(down -> session.end());
      });
    });
  }

  /** Runs {@code then} once a commit to the channel is announced, or when {@code waitMs} has passed. */
  private void awaitCommit(RoutingContext rc, String channel, long waitMs, Runnable then) {
    boolean[] fired = {false};
    ChannelTail.Reader[] waiter = new ChannelTail.Reader[1];
    long[] timer = new long[1];
    Runnable once = Guarded.runnable(rc, () -> {
      if (!fired[0]) {
        fired[0] = true;
        live.leave(channel, waiter[0]);
        vertx.cancelTimer(timer[0]);
        if (!rc.response().closed()) {
          then.run();
        }
      }
    });
    waiter[0] = new ChannelTail.Reader() {
      @Override
      public boolean offer(ChannelTail.Batch batch) {
        return false;
      }

      @Override
      public void advanced(long head) {
        once.run();
      }
    };
    live.join(channel, waiter[0]);
    timer[0] = vertx.setTimer(waitMs, t -> once.run());
    rc.response().closeHandler(v -> once.run());
  }

  private static void writePage(RoutingContext rc, String channel, ChannelReader.Page page) {
    String body = "{\"channel\":\"" + channel + "\",\"records\":[" + String.join(",", page.json())
        + "],\"next\":" + page.next() + "}";
    rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
  }
}
