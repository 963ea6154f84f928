package tributary.storage;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Bytes {@code [from, to)} of one local copy as a stream (S1, S3): each chunk read and checked on a
 * worker, the next one read while the reader takes the last ({@link #AHEAD} at most, and only
 * while the reader wants more), so the disk and the network overlap and memory stays bounded
 * whatever the blob's size. A missing or corrupt copy is reported to {@link BadCopies} and ends the stream with
 * an error: the reader goes on from another copy. Serves the transfer server's reads and the reads
 * of this process's own stores alike.
 */
public final class CopyReadStream implements ReadStream<Buffer> {
  static final int AHEAD = 2;
  private final Vertx vertx;
  private final StorageNode node;
  private final BadCopies badCopies;
  private final String sha256;
  private final long end;
  /** Where the next read starts: each read ends at a chunk boundary, so reads can run ahead. */
  private long next;
  /** Reads under way or done and not yet delivered, in order. */
  private final ArrayDeque<Future<ByteBuffer>> ahead = new ArrayDeque<>();
  private long demand = Long.MAX_VALUE;
  private boolean over;
  /** A delivery loop is under way, perhaps with the reader's handler running. */
  private boolean delivering;
  /** The end was reached before anyone listened for it. */
  private boolean endUnheard;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  public CopyReadStream(Vertx vertx, StorageNode node, BadCopies badCopies, String sha256, long from, long to) {
    this.vertx = vertx;
    this.node = node;
    this.badCopies = badCopies;
    this.sha256 = sha256;
    this.next = from;
    this.end = to;
  }

  /** Stops reading; nothing more is delivered. */
  public void cancel() {
    over = true;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    deliver();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    if (endUnheard && endHandler != null) {
      endUnheard = false;
      endHandler.handle(null);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
    deliver();
    return this;
  }

  private void readMore() {
    if (over || handler == null) {
      return;
    }
    while (ahead.size() < AHEAD && next < end && demand > ahead.size()) {
      long from = next;
      long to = Math.min(end, (from / LocalBlobStore.CHUNK_BYTES + 1) * LocalBlobStore.CHUNK_BYTES);
      next = to;
      Future<ByteBuffer> read = vertx.executeBlocking(() -> {
        ByteBuffer bytes = node.disk().readVerified(sha256, from, to);
        if (bytes.remaining() != to - from) {
          throw new LocalBlobStore.CorruptBlobException("the copy of " + sha256 + " ends before byte " + to);
        }
        return bytes;
      }, false);
      ahead.add(read);
      read.onComplete(done -> deliver());
    }
    if (ahead.isEmpty() && next >= end) {
      over = true;
      if (endHandler != null) {
        endHandler.handle(null);
      } else {
        endUnheard = true;
      }
    }
  }

  /**
   * Hands the reads that are done to the reader, in order, as far as it wants them. A reader that
   * asks for more from inside its handler (a response whose write drained at once) is served by
   * the loop under way when its handler returns, not by one inside it, which could end the stream
   * under it.
   */
  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      deliverDone();
    } finally {
      delivering = false;
    }
    readMore();
  }

  private void deliverDone() {
    while (!over && !ahead.isEmpty() && ahead.peek().isComplete() && demand > 0) {
      Future<ByteBuffer> read = ahead.poll();
      if (read.failed()) {
        fail(read.cause());
        return;
      }
      ByteBuffer bytes = read.result();
      node.moved(bytes.remaining());
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(BufferInternal.buffer(Unpooled.wrappedBuffer(bytes)));
    }
  }

  private void fail(Throwable e) {
    over = true;
    if (e instanceof LocalBlobStore.CorruptBlobException) {
      badCopies.report(node, sha256, CopyVerdict.READ_MISMATCH);
    } else if (e instanceof IOException io && LocalBlobStore.isMissing(io)) {
      badCopies.report(node, sha256, CopyVerdict.MISSING);
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(e);
    }
  }
}
