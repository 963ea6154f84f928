package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A local copy read as a stream (S1): in order, byte-exact, chunk by chunk. */
@ExtendWith(VertxExtension.class)
class CopyReadStreamTest {
  @TempDir
  Path dir;

  @Test
  void aRangeArrivesInOrderChunkByChunkAsTheReaderFetches(Vertx vertx, VertxTestContext test) throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir.resolve("s"));
    byte[] bytes = new byte[3 * LocalBlobStore.CHUNK_BYTES + 1234];
    new Random(3).nextBytes(bytes);
    LocalBlobStore.Writer w = store.begin();
    w.write(ByteBuffer.wrap(bytes));
    String sha = w.finish().sha256();
    StorageNode node = new StorageNode("n1", store, new RateLimit(1_000), System.nanoTime());
    long from = 100;
    long to = bytes.length - 7;
    Buffer got = Buffer.buffer();
    AtomicInteger chunks = new AtomicInteger();
    vertx.runOnContext(v -> {
      CopyReadStream copy = new CopyReadStream(vertx, node, null, sha, from, to);
      copy.pause();
      copy.handler(data -> {
        got.appendBuffer(data);
        chunks.incrementAndGet();
        copy.fetch(1);
      });
      copy.exceptionHandler(test::failNow);
      copy.endHandler(end -> test.verify(() -> {
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) from, (int) to), got.getBytes());
        assertTrue(chunks.get() >= 4, "read in chunks: " + chunks.get());
        test.completeNow();
      }));
      copy.fetch(1);
    });
  }
}
