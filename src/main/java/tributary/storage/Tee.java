package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.List;

/**
 * One stream written to several at once, as full as the fullest of them: an upload goes to two
 * storage nodes in parallel at the pace of the slower one, never buffered whole in between.
 */
public final class Tee implements WriteStream<Buffer> {
  private final List<? extends WriteStream<Buffer>> outs;

  public Tee(List<? extends WriteStream<Buffer>> outs) {
    this.outs = List.copyOf(outs);
  }

  @Override
  public Future<Void> write(Buffer data) {
    return Future.all(outs.stream().map(o -> o.write(data)).toList()).mapEmpty();
  }

  @Override
  public Future<Void> end() {
    return Future.all(outs.stream().map(WriteStream::end).toList()).mapEmpty();
  }

  @Override
  public boolean writeQueueFull() {
    return outs.stream().anyMatch(WriteStream::writeQueueFull);
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    for (WriteStream<Buffer> out : outs) {
      out.drainHandler(handler == null ? null : v -> {
        if (!writeQueueFull()) {
          handler.handle(null);
        }
      });
    }
    return this;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    outs.forEach(o -> o.exceptionHandler(handler));
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    outs.forEach(o -> o.setWriteQueueMaxSize(maxSize));
    return this;
  }
}
