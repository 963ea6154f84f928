package tributary.storage;

import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes {@code [from, to)} of one local copy as a stream (S1, S3): each chunk read and checked on a
 * worker, one at a time and only while the reader wants more, so memory stays bounded whatever the
 * blob's size. A missing or corrupt copy is reported to {@link BadCopies} and ends the stream with
 * an error: the reader goes on from another copy. Serves the transfer server's reads and the reads
 * of this process's own stores alike.
 */
public final class CopyReadStream implements ReadStream<Buffer> {
  private final Vertx vertx;
  private final StorageNode node;
  private final BadCopies badCopies;
  private final String sha256;
  private final long end;
  private long position;
  private long demand = Long.MAX_VALUE;
  private boolean reading;
  private boolean over;
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
    this.position = from;
    this.end = to;
  }

  /** Stops reading; nothing more is delivered. */
  public void cancel() {
    over = true;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    readMore();
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
    readMore();
    return this;
  }

  private void readMore() {
    if (reading || over || demand == 0 || handler == null) {
      return;
    }
    if (position >= end) {
      over = true;
      if (endHandler != null) {
        endHandler.handle(null);
      } else {
        endUnheard = true;
      }
      return;
    }
    reading = true;
    vertx.executeBlocking(() -> node.disk().readVerified(sha256, position, end), false).onComplete(read -> {
      reading = false;
      if (over) {
        return;
      }
      if (read.failed()) {
        over = true;
        Throwable e = read.cause();
        if (e instanceof LocalBlobStore.CorruptBlobException) {
          badCopies.report(node, sha256, CopyVerdict.READ_MISMATCH);
        } else if (e instanceof IOException io && LocalBlobStore.isMissing(io)) {
          badCopies.report(node, sha256, CopyVerdict.MISSING);
        }
        if (exceptionHandler != null) {
          exceptionHandler.handle(e);
        }
        return;
      }
      ByteBuffer bytes = read.result();
      position += bytes.remaining();
      node.moved(bytes.remaining());
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(BufferInternal.buffer(Unpooled.wrappedBuffer(bytes)));
      readMore();
    });
  }
}
