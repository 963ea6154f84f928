package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import tributary.digest.Digests;
import tributary.storage.tasks.FileDigest;

/** A sink that digests what it is given, or keeps it (small files only). */
final class DigestStream implements WriteStream<Buffer> {
  private final List<MessageDigest> digests = new ArrayList<>();
  private final Buffer keep;
  private long size;

  DigestStream(List<String> algorithms, Buffer keep) {
    this.keep = keep;
    for (String a : algorithms == null ? List.<String>of() : algorithms) {
      digests.add(Digests.of(a));
    }
  }

  FileDigest result() {
    return new FileDigest(Digests.hex(digests.get(0).digest()), Digests.hex(digests.get(1).digest()), size);
  }

  @Override
  public Future<Void> write(Buffer data) {
    size += data.length();
    byte[] bytes = data.getBytes();
    digests.forEach(d -> d.update(bytes));
    if (keep != null) {
      keep.appendBuffer(data);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
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
  public WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
    return this;
  }
}
