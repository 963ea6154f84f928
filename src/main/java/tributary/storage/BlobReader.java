package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.List;
import tributary.placement.StoreLoad;

/**
 * Reads a blob range from its copies in turn (S2, S3): from the first that answers, and when that
 * one fails part-way (a node dies, or a chunk fails its hash and the node cuts the stream), on from
 * the next copy at the byte where the last one stopped. The reader sees one unbroken stream of
 * checked bytes, or an error if no copy is left.
 */
public final class BlobReader {
  private final StorageClient client;

  public BlobReader(StorageClient client) {
    this.client = client;
  }

  /**
   * Copies bytes {@code [from, to)} into {@code out}, which is not ended; {@code firstByte} runs
   * once, before the first write, so a caller can still choose its status until then.
   */
  public Future<Void> copy(List<StoreLoad> copies, String sha256, long from, long to, WriteStream<Buffer> out,
                           Runnable firstByte) {
    Promise<Void> done = Promise.promise();
    new Relay(copies, sha256, to, out, firstByte, done).attempt(0, from);
    return done.future();
  }

  private final class Relay {
    final List<StoreLoad> copies;
    final String sha256;
    final long end;
    final WriteStream<Buffer> out;
    Runnable firstByte;
    final Promise<Void> done;
    long position;
    String lastError = "no readable copy";

    Relay(List<StoreLoad> copies, String sha256, long end, WriteStream<Buffer> out, Runnable firstByte,
          Promise<Void> done) {
      this.copies = copies;
      this.sha256 = sha256;
      this.end = end;
      this.out = out;
      this.firstByte = firstByte;
      this.done = done;
    }

    void attempt(int index, long from) {
      position = from;
      if (position >= end) {
        started();
        done.tryComplete();
        return;
      }
      if (index >= copies.size()) {
        done.tryFail(lastError);
        return;
      }
      client.read(copies.get(index), sha256, position, end).onComplete(ar -> {
        if (ar.failed()) {
          lastError = ar.cause().getMessage();
          attempt(index + 1, position);
        } else {
          relay(ar.result(), index);
        }
      });
    }

    private void started() {
      if (firstByte != null) {
        firstByte.run();
        firstByte = null;
      }
    }

    private void relay(StorageClient.CopyRead copy, int index) {
      ReadStream<Buffer> response = copy.bytes();
      boolean[] over = {false};
      Runnable next = () -> {
        if (!over[0]) {
          over[0] = true;
          out.drainHandler(null);
          attempt(index + 1, position);
        }
      };
      response.handler(data -> {
        if (out instanceof HttpServerResponse reader && reader.closed()) {
          over[0] = true;
          copy.cancel().run();
          done.tryFail("the reader went away");
          return;
        }
        started();
        position += data.length();
        out.write(data);
        if (out.writeQueueFull()) {
          response.pause();
          out.drainHandler(v -> response.resume());
        }
      });
      response.exceptionHandler(e -> {
        lastError = copies.get(index).storeId() + " broke off: " + e.getMessage();
        next.run();
      });
      response.endHandler(v -> {
        if (position >= end) {
          over[0] = true;
          done.tryComplete();
        } else {
          lastError = copies.get(index).storeId() + " ended early at byte " + position;
          next.run();
        }
      });
    }
  }
}
