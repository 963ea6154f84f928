package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tributary.storage.volume.VolumeSet;

/** The sink that streams an upload's copy into a store (S1): batched hand-over, in order, byte-exact. */
@ExtendWith(VertxExtension.class)
class BlobSinkTest {
  @TempDir
  Path dir;
  private LocalBlobStore store;

  @BeforeEach
  void open() throws Exception {
    store = new LocalBlobStore(dir.resolve("store"), 64 << 10, new VolumeSet.Options(1 << 20, 0.5));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private byte[] readAll(String sha, long size) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long at = 0; at < size; ) {
      ByteBuffer b = store.readVerified(sha, at, size);
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      at += b.remaining();
    }
    return out.toByteArray();
  }

  /** Writes every piece without waiting, as a pipe does until the sink says it is full, then ends. */
  private static Future<LocalBlobStore.Stored> stream(BlobSink sink, List<byte[]> pieces) {
    List<Future<Void>> writes = new ArrayList<>();
    pieces.forEach(p -> writes.add(sink.write(Buffer.buffer(p))));
    sink.end();
    return Future.all(writes).compose(v -> sink.stored());
  }

  @Test
  void aLargeBlobWrittenInThousandsOfPiecesLandsByteExactInOrder(Vertx vertx, VertxTestContext test) {
    Random random = new Random(7);
    List<byte[]> pieces = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 3_000; i++) {
      byte[] p = new byte[1 + random.nextInt(8_192)];
      random.nextBytes(p);
      pieces.add(p);
      all.writeBytes(p);
    }
    byte[] bytes = all.toByteArray();
    vertx.runOnContext(v -> stream(new BlobSink(vertx, store.begin(), LocalBlobStore.Expected.NOTHING), pieces)
        .onComplete(test.succeeding(stored -> test.verify(() -> {
          assertEquals(sha256(bytes), stored.sha256());
          assertEquals(bytes.length, stored.size());
          assertArrayEquals(bytes, readAll(stored.sha256(), bytes.length));
          test.completeNow();
        }))));
  }

  @Test
  void aSmallBlobBecomesANeedleThatReadsBack(Vertx vertx, VertxTestContext test) {
    byte[] bytes = "a small blob, kept as a needle in a volume".getBytes();
    vertx.runOnContext(v -> stream(new BlobSink(vertx, store.begin(), LocalBlobStore.Expected.NOTHING),
        List.of(java.util.Arrays.copyOf(bytes, 10), java.util.Arrays.copyOfRange(bytes, 10, bytes.length)))
        .onComplete(test.succeeding(stored -> test.verify(() -> {
          assertEquals(sha256(bytes), stored.sha256());
          assertTrue(stored.path().contains("volumes"), stored.path());
          assertArrayEquals(bytes, readAll(stored.sha256(), bytes.length));
          test.completeNow();
        }))));
  }

  @Test
  void aSinkGivenUpBeforeItsEndStoresNothingAndRaisesNothing(VertxTestContext test) {
    // one worker thread: a finish the end started would run before the probe queued after it
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setWorkerPoolSize(1));
    List<Throwable> raised = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.exceptionHandler(raised::add);
    byte[] bytes = "given up before its end".getBytes();
    vertx.runOnContext(v -> {
      BlobSink sink = new BlobSink(vertx, store.begin(), LocalBlobStore.Expected.NOTHING);
      sink.write(Buffer.buffer(bytes));
      sink.abort();
      sink.end().onComplete(test.failing(e -> vertx.executeBlocking(() -> null, false)
          .onComplete(test.succeeding(probe -> test.verify(() -> {
            assertEquals(List.of(), raised);
            assertTrue(!store.has(sha256(bytes)), "the given-up bytes were not stored");
            vertx.close();
            test.completeNow();
          })))));
    });
  }

  @Test
  void bytesThatHashOtherwiseThanClaimedAreDropped(Vertx vertx, VertxTestContext test) {
    LocalBlobStore.Expected claimed = new LocalBlobStore.Expected("00".repeat(32), null);
    vertx.runOnContext(v -> stream(new BlobSink(vertx, store.begin(), claimed), List.of("not that".getBytes()))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertInstanceOf(LocalBlobStore.ChecksumMismatchException.class, e);
          test.completeNow();
        }))));
  }
}
