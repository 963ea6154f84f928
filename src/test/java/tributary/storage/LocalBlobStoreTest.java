package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalBlobStoreTest {
  @TempDir
  Path dir;

  private static final int MIB = LocalBlobStore.CHUNK_BYTES;

  private static LocalBlobStore.Stored write(LocalBlobStore store, byte[] bytes, int piece) throws IOException {
    LocalBlobStore.Writer w = store.begin();
    for (int at = 0; at < bytes.length; at += piece) {
      w.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
    }
    return w.finish();
  }

  private static byte[] readAll(LocalBlobStore store, String sha, long from, long to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long at = from;
    while (at < to) {
      ByteBuffer b = store.readVerified(sha, at, to);
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      at += b.remaining();
    }
    return out.toByteArray();
  }

  @Test
  void aBlobIsNamedByItsHashAndReadsBackChunkByChunk() throws Exception {
    byte[] bytes = new byte[2 * MIB + 77];
    new Random(1).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("a"));
    LocalBlobStore.Stored s = write(store, bytes, 65_536 + 3);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(sha, s.sha256());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)), s.md5());
    assertArrayEquals(bytes, readAll(store, sha, 0, bytes.length));
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, MIB - 10, MIB + 10), readAll(store, sha, MIB - 10, MIB + 10));
    store.verify(sha, RateLimit.NONE);
    assertTrue(Files.list(dir.resolve("a").resolve("tmp")).findAny().isEmpty(), "no temporary file left");
  }

  /**
   * Large blobs' files are written past the page cache in whole blocks where the file system
   * allows it: a blob of any size, at the edges of a block and of the staging buffer, ends as a file
   * of exactly its bytes, as through the page cache.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aFileOfAnySizeHoldsExactlyItsBytesWrittenDirectOrThroughThePageCache(boolean direct) throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir.resolve("s"), 0, null, direct);
    assertEquals(direct && Files.getFileStore(dir).type().equals("ext4"), store.writesDirect(),
        "direct where the file system takes it (ext4 does), never when not asked");
    int staging = 1 << 20;
    Random random = new Random(9);
    for (int size : new int[] {1, 4095, 4096, 4097, staging - 1, staging, staging + 1, 3 * MIB + 4099}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      LocalBlobStore.Stored s = write(store, bytes, 4096 + 17);
      assertEquals(size, Files.size(store.file(s.sha256())), "size " + size);
      assertArrayEquals(bytes, Files.readAllBytes(store.file(s.sha256())), "size " + size);
      store.verify(s.sha256(), RateLimit.NONE);
    }
    assertTrue(Files.list(dir.resolve("s").resolve("tmp")).findAny().isEmpty(), "no temporary file left");
  }

  @Test
  void aFlippedByteFailsItsChunkAndTheScrubButNotAnotherStore() throws Exception {
    byte[] bytes = new byte[2 * MIB + 77];
    new Random(2).nextBytes(bytes);
    LocalBlobStore a = new LocalBlobStore(dir.resolve("a"));
    LocalBlobStore b = new LocalBlobStore(dir.resolve("b"));
    String sha = write(a, bytes, 8192).sha256();
    write(b, bytes, MIB);
    try (RandomAccessFile f = new RandomAccessFile(a.file(sha).toFile(), "rw")) {
      f.seek(MIB + 5);
      int v = f.read();
      f.seek(MIB + 5);
      f.write(v ^ 0xFF);
    }
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 0, MIB), readAll(a, sha, 0, MIB));
    assertThrows(LocalBlobStore.CorruptBlobException.class, () -> a.readVerified(sha, MIB, bytes.length));
    assertThrows(LocalBlobStore.CorruptBlobException.class, () -> a.verify(sha, RateLimit.NONE));
    assertArrayEquals(bytes, readAll(b, sha, 0, bytes.length));
    b.verify(sha, RateLimit.NONE);
  }

  @Test
  void copiesOfOneUploadInOneProcessShareTheirHashingAndEachKeepsOnlyItsOwnBytes() throws Exception {
    byte[] bytes = new byte[2 * MIB + 77];
    new Random(3).nextBytes(bytes);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    LocalBlobStore a = new LocalBlobStore(dir.resolve("a"));
    LocalBlobStore b = new LocalBlobStore(dir.resolve("b"));
    LocalBlobStore c = new LocalBlobStore(dir.resolve("c"));
    SharedDigest digest = new SharedDigest();
    LocalBlobStore.Writer first = a.begin(digest);
    LocalBlobStore.Writer second = b.begin(digest);
    LocalBlobStore.Writer damaged = c.begin(digest);
    byte[] flipped = bytes.clone();
    flipped[MIB + 5] ^= 1;
    // the first writer runs ahead and hashes; the others follow in other pieces
    for (int at = 0; at < bytes.length; at += 65_536) {
      first.write(ByteBuffer.wrap(bytes, at, Math.min(65_536, bytes.length - at)));
    }
    for (int at = 0; at < bytes.length; at += 10_000) {
      second.write(ByteBuffer.wrap(bytes, at, Math.min(10_000, bytes.length - at)));
    }
    IOException refused = assertThrows(IOException.class, () -> {
      for (int at = 0; at < flipped.length; at += 10_000) {
        damaged.write(ByteBuffer.wrap(flipped, at, Math.min(10_000, flipped.length - at)));
      }
    });
    assertTrue(refused.getMessage().contains("differs"), refused.getMessage());
    damaged.abort();
    assertEquals(sha, first.finish().sha256());
    assertEquals(sha, second.finish().sha256());
    assertArrayEquals(bytes, readAll(a, sha, 0, bytes.length));
    assertArrayEquals(bytes, readAll(b, sha, 0, bytes.length));
    b.verify(sha, RateLimit.NONE);
    assertFalse(Files.exists(c.file(sha)), "the copy with other bytes is not kept under the upload's hash");
    assertTrue(Files.list(dir.resolve("c").resolve("tmp")).findAny().isEmpty(), "nor left behind");
  }

  @Test
  void aShortCopyOfASmallUploadIsNotNamedByTheWholeUploadsHash() throws Exception {
    LocalBlobStore a = new LocalBlobStore(dir.resolve("a"));
    LocalBlobStore b = new LocalBlobStore(dir.resolve("b"));
    byte[] bytes = "a small upload".getBytes();
    SharedDigest digest = new SharedDigest();
    LocalBlobStore.Writer whole = a.begin(digest);
    LocalBlobStore.Writer cut = b.begin(digest);
    whole.write(ByteBuffer.wrap(bytes));
    cut.write(ByteBuffer.wrap(bytes, 0, bytes.length - 1));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), whole.finish().sha256());
    assertThrows(IOException.class, cut::finish);
  }

  @Test
  void aOneChunkBlobNeedsNoManifestAndIsCheckedAgainstItsName() throws Exception {
    byte[] bytes = new byte[1000];
    new Random(3).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir);
    String sha = write(store, bytes, 100).sha256();
    assertFalse(Files.exists(store.file(sha).resolveSibling(sha + ".chunks")));
    assertTrue(store.has(sha));
    assertArrayEquals(bytes, readAll(store, sha, 0, bytes.length));
    try (RandomAccessFile f = new RandomAccessFile(store.file(sha).toFile(), "rw")) {
      f.seek(10);
      f.write(bytes[10] ^ 1);
    }
    assertThrows(LocalBlobStore.CorruptBlobException.class, () -> store.readVerified(sha, 0, bytes.length));
    assertThrows(LocalBlobStore.CorruptBlobException.class, () -> store.verify(sha, RateLimit.NONE));
  }

  @Test
  void anEmptyBlobAndAnAbortedOneLeaveNothingBroken() throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir);
    LocalBlobStore.Stored empty = store.begin().finish();
    assertEquals(0, empty.size());
    store.verify(empty.sha256(), RateLimit.NONE);
    LocalBlobStore.Writer w = store.begin();
    w.write(ByteBuffer.wrap(new byte[100]));
    w.abort();
    assertTrue(Files.list(dir.resolve("tmp")).findAny().isEmpty());
    assertTrue(store.collect(empty.sha256(), Long.MAX_VALUE));
    assertFalse(store.has(empty.sha256()));
  }

  @Test
  void bytesThatHashOtherwiseThanClaimedNeverTouchTheirContentAddress() throws Exception {
    byte[] bytes = new byte[MIB + 99];
    new Random(5).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("c"));
    LocalBlobStore.Stored first = write(store, bytes, 10_000);
    Path file = store.file(first.sha256());
    long writtenAt = Files.getLastModifiedTime(file).toMillis();
    for (LocalBlobStore.Expected wrong : java.util.List.of(new LocalBlobStore.Expected("0".repeat(64), null),
        new LocalBlobStore.Expected(null, "0".repeat(32)))) {
      LocalBlobStore.Writer w = store.begin();
      w.write(ByteBuffer.wrap(bytes));
      assertThrows(LocalBlobStore.ChecksumMismatchException.class, () -> w.finish(wrong));
    }
    assertEquals(writtenAt, Files.getLastModifiedTime(file).toMillis(), "the shared file was not replaced");
    store.verify(first.sha256(), RateLimit.NONE);
    assertTrue(Files.list(dir.resolve("c").resolve("tmp")).findAny().isEmpty(), "no temporary file left");
    LocalBlobStore.Writer right = store.begin();
    right.write(ByteBuffer.wrap(bytes));
    assertEquals(first, right.finish(new LocalBlobStore.Expected(first.sha256().toUpperCase(), first.md5())));
  }

  @Test
  void aCollectionNeverTakesBytesThatLandedAfterTheLastRecord() throws Exception {
    byte[] bytes = new byte[MIB + 7];
    new Random(8).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("d"));
    String sha = write(store, bytes, 50_000).sha256();
    long recorded = System.currentTimeMillis();
    Files.setLastModifiedTime(store.file(sha), java.nio.file.attribute.FileTime.fromMillis(recorded - 1000));
    // the same content lands again (an upload not yet recorded): the last record no longer covers it
    write(store, bytes, 50_000);
    assertFalse(store.collect(sha, recorded - 1), "bytes that landed after the last record stay");
    assertTrue(store.has(sha));
    Files.setLastModifiedTime(store.file(sha), java.nio.file.attribute.FileTime.fromMillis(recorded - 1000));
    assertTrue(store.claim(sha), "a mirror finding the content here claims it");
    assertFalse(store.collect(sha, recorded - 1), "claimed content stays");
    assertTrue(store.collect(sha, Long.MAX_VALUE));
    assertFalse(store.has(sha));
    assertFalse(Files.exists(store.file(sha).resolveSibling(sha + ".chunks")), "the manifest went with it");
  }

  @Test
  void onlyAFileThatStillFailsItsCheckIsDiscarded() throws Exception {
    byte[] bytes = new byte[40_000];
    new Random(9).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("e"));
    String sha = write(store, bytes, 4096).sha256();
    assertFalse(store.discardIfCorrupt(sha), "a good copy (one that replaced the bad) stays");
    try (RandomAccessFile f = new RandomAccessFile(store.file(sha).toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0xFF);
    }
    assertTrue(store.discardIfCorrupt(sha));
    assertFalse(store.has(sha));
  }

  @Test
  void aScanReportsTheBytesDigestsAndWhetherTheirChunksMatch() throws Exception {
    byte[] bytes = new byte[2 * MIB + 77];
    new Random(5).nextBytes(bytes);
    LocalBlobStore store = new LocalBlobStore(dir.resolve("scan"));
    LocalBlobStore.Stored s = write(store, bytes, MIB);
    CopyVerdict.Scan good = store.scan(s.sha256(), RateLimit.NONE);
    assertEquals(new CopyVerdict.Scan(s.sha256(), s.md5(), true), good);
    assertTrue(CopyVerdict.of(s.sha256(), s.md5(), good).healthy());

    try (RandomAccessFile f = new RandomAccessFile(store.file(s.sha256()).toFile(), "rw")) {
      f.seek(MIB + 9);
      int b = f.read();
      f.seek(MIB + 9);
      f.write(b ^ 1);
    }
    CopyVerdict.Scan bad = store.scan(s.sha256(), RateLimit.NONE);
    assertFalse(bad.chunksMatch());
    assertFalse(s.md5().equals(bad.md5()));
    assertFalse(s.sha256().equals(bad.sha256()));
    assertEquals("corrupt: md5 mismatch", CopyVerdict.of(s.sha256(), s.md5(), bad).reason());
    assertThrows(LocalBlobStore.CorruptBlobException.class, () -> store.verify(s.sha256(), RateLimit.NONE));
    assertThrows(java.nio.file.NoSuchFileException.class, () -> store.scan("0".repeat(64), RateLimit.NONE));
  }

  private LocalBlobStore withVolumes(String name) {
    return new LocalBlobStore(dir.resolve(name), 1 << 20, new tributary.storage.volume.VolumeSet.Options(1 << 20, 0.5));
  }

  private static byte[] random(int size, int seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aSmallBlobIsANeedleThatReadsScrubsAndIsCollectedLikeAFile() throws Exception {
    byte[] bytes = random(40_000, 10);
    try (LocalBlobStore store = withVolumes("n")) {
      LocalBlobStore.Stored s = write(store, bytes, 4096);
      assertTrue(s.path().startsWith("volumes/00000001.vol@"), s.path());
      assertEquals(s.path(), store.place(s.sha256()));
      assertFalse(Files.exists(store.file(s.sha256())), "no file of its own");
      assertTrue(store.has(s.sha256()));
      assertEquals(bytes.length, store.size(s.sha256()));
      assertArrayEquals(bytes, readAll(store, s.sha256(), 0, bytes.length));
      assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100, 200), readAll(store, s.sha256(), 100, 200));
      assertEquals(new CopyVerdict.Scan(s.sha256(), s.md5(), true), store.scan(s.sha256(), RateLimit.NONE));
      try (LocalBlobStore.Local local = store.local(s.sha256())) {
        assertArrayEquals(bytes, Files.readAllBytes(local.path()));
      }
      assertEquals(s, write(store, bytes, 999), "the same content again is the same needle");
      assertTrue(store.leftovers(Long.MAX_VALUE).blobs().contains(s.sha256()));
      assertFalse(store.collect(s.sha256(), 0), "bytes that landed after the last record stay");
      assertTrue(store.collect(s.sha256(), Long.MAX_VALUE));
      assertFalse(store.has(s.sha256()));
      assertThrows(java.nio.file.NoSuchFileException.class, () -> store.scan(s.sha256(), RateLimit.NONE));
    }
  }

  @Test
  void aNeedleWithAFlippedByteFailsReadsAndScrubAndIsDiscarded() throws Exception {
    byte[] bytes = random(5000, 11);
    try (LocalBlobStore store = withVolumes("f")) {
      LocalBlobStore.Stored s = write(store, bytes, 5000);
      assertFalse(store.discardIfCorrupt(s.sha256()), "a good needle stays");
      String[] at = s.path().split("@");
      try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").resolve(at[0]).toFile(), "rw")) {
        long pos = Long.parseLong(at[1]) + tributary.storage.volume.Needle.HEADER_BYTES + 1234;
        f.seek(pos);
        int b = f.read();
        f.seek(pos);
        f.write(b ^ 0xFF);
      }
      assertThrows(LocalBlobStore.CorruptBlobException.class, () -> store.readVerified(s.sha256(), 0, 10));
      assertThrows(LocalBlobStore.CorruptBlobException.class, () -> store.verify(s.sha256(), RateLimit.NONE));
      assertEquals("corrupt: md5 mismatch", CopyVerdict.of(s.sha256(), s.md5(),
          store.scan(s.sha256(), RateLimit.NONE)).reason());
      assertTrue(store.discardIfCorrupt(s.sha256()));
      assertFalse(store.has(s.sha256()));
    }
  }

  @Test
  void aBlobAtTheSmallSizeOrAboveKeepsItsOwnFile() throws Exception {
    byte[] bytes = random((1 << 20) + 1, 12);
    try (LocalBlobStore store = withVolumes("big")) {
      LocalBlobStore.Stored s = write(store, bytes, 100_000);
      assertEquals(LocalBlobStore.relative(s.sha256()), s.path());
      assertTrue(Files.exists(store.file(s.sha256())));
      assertArrayEquals(bytes, readAll(store, s.sha256(), 0, bytes.length));
    }
  }
}
