package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream written to several at once, as full as the fullest of them: an upload goes to all its
 * copy nodes in parallel at the pace of the slowest, never buffered whole in between. An out whose
 * write fails is dropped and the others go on; the stream fails only once fewer than
 * {@code needed} are left.
 */
public final class Tee implements WriteStream<Buffer> {
  private final List<WriteStream<Buffer>> live;
  private final int needed;

  public Tee(List<? extends WriteStream<Buffer>> outs, int needed) {
    this.live = new ArrayList<>(outs);
    this.needed = needed;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return each(o -> o.write(data));
  }

  @Override
  public Future<Void> end() {
    return each(WriteStream::end);
  }

  private Future<Void> each(java.util.function.Function<WriteStream<Buffer>, Future<Void>> step) {
    List<Future<Void>> steps = new ArrayList<>();
    for (WriteStream<Buffer> out : List.copyOf(live)) {
      steps.add(step.apply(out).recover(e -> {
        live.remove(out);
        return live.size() < needed ? Future.failedFuture(e) : Future.succeededFuture();
      }));
    }
    return Future.all(steps).mapEmpty();
  }

  @Override
  public boolean writeQueueFull() {
    return live.stream().anyMatch(WriteStream::writeQueueFull);
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    for (WriteStream<Buffer> out : live) {
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
    for (WriteStream<Buffer> out : live) {
      out.exceptionHandler(handler == null ? null : e -> {
        live.remove(out);
        if (live.size() < needed) {
          handler.handle(e);
        }
      });
    }
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    live.forEach(o -> o.setWriteQueueMaxSize(maxSize));
    return this;
  }
}
