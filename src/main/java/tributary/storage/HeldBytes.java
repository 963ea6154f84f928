package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A stream kept whole in memory until it ends: a small upload's copy on its way to a batch, or a
 * batch's body on the storage node. Whoever feeds it bounds its size (a declared small length, a
 * checked Content-Length).
 */
final class HeldBytes implements WriteStream<Buffer> {
  private final Buffer bytes = Buffer.buffer();
  private final Promise<Buffer> ended = Promise.promise();

  /** The bytes once the stream ended; failed if it was given up first. */
  Future<Buffer> ended() {
    return ended.future();
  }

  /** Gives the stream up: what it held goes nowhere. */
  void abandon() {
    ended.tryFail("the upload was given up before it ended");
  }

  @Override
  public Future<Void> write(Buffer data) {
    bytes.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    ended.tryComplete(bytes);
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
