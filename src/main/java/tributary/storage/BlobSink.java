package tributary.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A stream into a new local blob: buffers are hashed and written on a worker, in order, while
 * the event loop goes on. Buffers that arrive while a write is on the worker form the next one,
 * handed over in one piece: one worker hop and one write call per batch, not per network chunk.
 * At most {@link #MAX_QUEUED_BYTES} wait for the disk; past that the stream says it is full and
 * the pipe feeding it pauses its source, so memory stays bounded whatever the size of the blob.
 */
public final class BlobSink implements WriteStream<Buffer> {
  static final long MAX_QUEUED_BYTES = 4L << 20;

  private final Vertx vertx;
  private final LocalBlobStore.Writer writer;
  private final LocalBlobStore.Expected expected;
  private final Promise<LocalBlobStore.Stored> stored = Promise.promise();
  /** Every batch handed to the worker so far, done in order. */
  private Future<Void> tail = Future.succeededFuture();
  /** Buffers waiting for the write before them; null when none wait. */
  private List<Buffer> forming;
  private Promise<Void> formed;
  private boolean aborted;
  private long queued;
  private boolean full;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  public BlobSink(Vertx vertx, LocalBlobStore.Writer writer, LocalBlobStore.Expected expected) {
    this.vertx = vertx;
    this.writer = writer;
    this.expected = expected;
  }

  /** Opens a sink on a new blob of the store. */
  public static Future<BlobSink> open(Vertx vertx, LocalBlobStore store) {
    return open(vertx, store, LocalBlobStore.Expected.NOTHING);
  }

  /** Like {@link #open(Vertx, LocalBlobStore)}, for bytes that must hash to {@code expected} to be kept. */
  public static Future<BlobSink> open(Vertx vertx, LocalBlobStore store, LocalBlobStore.Expected expected) {
    // a writer holds a blob in memory until it outgrows a needle: beginning one touches no disk
    return Future.succeededFuture(new BlobSink(vertx, store.begin(), expected));
  }

  /**
   * A sink into a storage node's store, counted in the node's load as a transfer is: {@code
   * declared} bytes (the size announced, 0 when unknown) incoming until the sink is done, then what
   * it wrote as moved. Its checksums are {@code digest}'s, which the upload's other copies in this
   * process share. A copy that fails otherwise than by hashing to something unclaimed leaves no
   * temporary file behind.
   */
  public static BlobSink into(Vertx vertx, StorageNode node, LocalBlobStore.Expected expected, long declared,
                              SharedDigest digest) {
    BlobSink sink = new BlobSink(vertx, node.disk().begin(digest), expected);
    node.incoming(declared);
    sink.stored.future().onComplete(done -> {
      node.moved(sink.bytesWritten());
      node.incoming(-declared);
      if (done.failed() && !(done.cause() instanceof LocalBlobStore.ChecksumMismatchException)) {
        sink.abort();
      }
    });
    return sink;
  }

  /** Completes with the blob once {@link #end()} made it durable; fails once it is aborted. */
  public Future<LocalBlobStore.Stored> stored() {
    return stored.future();
  }

  public long bytesWritten() {
    return writer.size();
  }

  @Override
  public Future<Void> write(Buffer data) {
    queued += data.length();
    full |= writeQueueFull();
    if (forming != null) {
      forming.add(data);
      return formed.future();
    }
    if (idle() && writer.staysNeedle(data.length())) {
      // held in memory, hashed in microseconds: no worker hop
      queued -= data.length();
      try {
        writer.write(bytesOf(data));
        return Future.succeededFuture();
      } catch (IOException | RuntimeException e) {
        tail = Future.failedFuture(e);
        return tail;
      }
    }
    List<Buffer> batch = forming = new ArrayList<>(List.of(data));
    Promise<Void> done = formed = Promise.promise();
    tail = tail.compose(v -> {
      if (forming == batch) {
        forming = null; // handed over: what arrives from now on forms the next batch
      }
      return vertx.executeBlocking(() -> {
        writer.write(batch.stream().map(BlobSink::bytesOf).toList());
        return null;
      }, false);
    });
    tail.onComplete(ar -> {
      queued -= batch.stream().mapToLong(Buffer::length).sum();
      if (ar.failed() && exceptionHandler != null) {
        exceptionHandler.handle(ar.cause());
      }
      if (full && queued <= MAX_QUEUED_BYTES / 2) {
        full = false;
        if (drainHandler != null) {
          drainHandler.handle(null);
        }
      }
      done.handle(ar);
    });
    return done.future();
  }

  /** Whether everything written so far is on the worker's side and done. */
  private boolean idle() {
    return forming == null && tail.succeeded();
  }

  /** The buffer's bytes where they lie, without a copy. */
  private static ByteBuffer bytesOf(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }

  /**
   * Makes the blob durable: a file's fsync runs on a worker; a needle waits for its volume's group
   * fsync on the volume's thread, holding no worker meanwhile.
   */
  @Override
  public Future<Void> end() {
    if (aborted) {
      return stored.future().mapEmpty();
    }
    Context context = vertx.getOrCreateContext();
    Future<CompletableFuture<LocalBlobStore.Stored>> finishing;
    if (idle() && writer.staysNeedle(0)) {
      // a needle's finish only queues it for its volume's thread
      try {
        finishing = Future.succeededFuture(writer.finishAsync(expected));
      } catch (IOException | RuntimeException e) {
        finishing = Future.failedFuture(e);
      }
    } else {
      finishing = tail.compose(v -> vertx.executeBlocking(() -> writer.finishAsync(expected), false));
    }
    finishing
        .compose(durable -> Future.fromCompletionStage(durable, context))
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e))
        .onComplete(done -> { // an abort meanwhile has failed it already
          if (done.succeeded()) {
            stored.tryComplete(done.result());
          } else {
            stored.tryFail(done.cause());
          }
        });
    return stored.future().mapEmpty();
  }

  /** Drops what was written; the temporary file goes, and the blob will not be stored. */
  public Future<Void> abort() {
    if (aborted) {
      return Future.succeededFuture();
    }
    aborted = true;
    stored.tryFail("the copy was given up before it was stored");
    return tail.transform(ar -> vertx.executeBlocking(() -> {
      writer.abort();
      return null;
    }, false));
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return queued >= MAX_QUEUED_BYTES;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }
}
