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
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
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

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** A storage node whose store holds {@code bytes}. */
  private StorageNode nodeHolding(byte[] bytes) throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir.resolve("s"));
    LocalBlobStore.Writer w = store.begin();
    w.write(ByteBuffer.wrap(bytes));
    w.finish();
    return new StorageNode("n1", store, new RateLimit(1_000), System.nanoTime());
  }

  @Test
  void aRangeArrivesInOrderChunkByChunkAsTheReaderFetches(Vertx vertx, VertxTestContext test) throws Exception {
    byte[] bytes = randomBytes(3 * LocalBlobStore.CHUNK_BYTES + 1234, 3);
    StorageNode node = nodeHolding(bytes);
    String sha = sha256(bytes);
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

  /**
   * A reader whose write drains at once (an HTTP response flushing inside {@code write}) resumes the
   * stream from inside its handler: the stream must not deliver nor end within that handler, whose
   * caller still uses the response after its write (it once found it ended and threw).
   */
  @Test
  void aReaderResumingInsideItsHandlerIsNeitherReenteredNorEndedUnderIt(Vertx vertx, VertxTestContext test)
      throws Exception {
    byte[] bytes = randomBytes(3 * LocalBlobStore.CHUNK_BYTES + 5, 4);
    StorageNode node = nodeHolding(bytes);
    String sha = sha256(bytes);
    Buffer got = Buffer.buffer();
    boolean[] inHandler = {false};
    vertx.runOnContext(v -> {
      CopyReadStream copy = new CopyReadStream(vertx, node, null, sha, 0, bytes.length);
      copy.handler(data -> test.verify(() -> {
        assertTrue(!inHandler[0], "delivered inside the handler");
        inHandler[0] = true;
        got.appendBuffer(data);
        copy.pause();
        copy.resume(); // the write drained at once
        inHandler[0] = false;
      }));
      copy.exceptionHandler(test::failNow);
      copy.endHandler(end -> test.verify(() -> {
        assertTrue(!inHandler[0], "ended inside the handler");
        assertArrayEquals(bytes, got.getBytes());
        test.completeNow();
      }));
    });
  }
}
