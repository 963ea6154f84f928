package tributary.storage.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeSetTest {
  @TempDir
  Path dir;

  private static final VolumeSet.Options SMALL = new VolumeSet.Options(64 << 10, 0.5);

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Map<String, byte[]> blobs(int count, int seed, int maxSize) throws Exception {
    Random random = new Random(seed);
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[1 + random.nextInt(maxSize)];
      random.nextBytes(b);
      out.put(sha256(b), b);
    }
    return out;
  }

  /** Writes the blobs to the folder's volumes and closes them. */
  private Map<String, byte[]> writtenAndClosed(Map<String, byte[]> blobs) throws IOException {
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      putAll(set, blobs);
    }
    return blobs;
  }

  private static void putAll(VolumeSet set, Map<String, byte[]> blobs) {
    List<CompletableFuture<VolumeSet.Location>> writes = new ArrayList<>();
    blobs.forEach((sha, b) -> writes.add(set.put(sha, b, System.currentTimeMillis())));
    writes.forEach(CompletableFuture::join);
  }

  private static byte[] bytes(VolumeSet.Read read) {
    byte[] out = new byte[read.data().remaining()];
    read.data().duplicate().get(out);
    return out;
  }

  private static void assertAllReadable(VolumeSet set, Map<String, byte[]> blobs) throws IOException {
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      VolumeSet.Read read = set.read(e.getKey());
      assertNotNull(read, e.getKey());
      assertTrue(read.intact(), e.getKey());
      assertArrayEquals(e.getValue(), bytes(read), e.getKey());
    }
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void needlesReadBackByteExactAfterAReopen() throws Exception {
    Map<String, byte[]> blobs = blobs(300, 1, 3000);
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      putAll(set, blobs);
      assertAllReadable(set, blobs);
      assertTrue(files(".vol").size() > 1, "volumes are bounded: " + files(".vol"));
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, blobs);
    }
  }

  @Test
  void aSecondWriteOfTheSameContentIsANoOp() throws Exception {
    byte[] b = "same bytes".getBytes();
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      VolumeSet.Location first = set.put(sha256(b), b, 1).join();
      long bytes = set.diskBytes();
      VolumeSet.Location second = set.put(sha256(b), b, 2).join();
      assertEquals(first.offset(), second.offset());
      assertEquals(bytes, set.diskBytes());
      assertEquals(2, set.locate(sha256(b)).landedAt(), "the landing time is brought forward");
    }
  }

  @Test
  void aNameThatIsNoSha256IsRefusedAndTheSetGoesOn() throws Exception {
    byte[] b = "named badly".getBytes();
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      String upper = sha256(b).toUpperCase();
      java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.CompletionException.class, () -> set.put(upper, b, 1).join());
      assertTrue(refused.getCause() instanceof IllegalArgumentException, refused.toString());
      assertNull(set.locate(upper));
      assertEquals(0, set.diskBytes(), "nothing was appended for it");
      VolumeSet.Location at = set.put(sha256(b), b, 1).get(10, TimeUnit.SECONDS);
      assertEquals(at, set.locate(sha256(b)), "the appender still takes writes");
    }
  }

  /** Each volume's index, written as it ends and at close, reads back whole and lists its needles. */
  @Test
  void everyVolumesIndexReadsBackWithItsNeedles() throws Exception {
    Map<String, byte[]> blobs = writtenAndClosed(blobs(300, 31, 2000));
    List<String> listed = new ArrayList<>();
    for (long id : VolumeSet.volumeIds(dir)) {
      Path volume = Volume.fileOf(dir, id);
      VolumeIndex.Loaded index = VolumeIndex.read(volume);
      assertNotNull(index, "the index of " + volume + " reads back");
      assertEquals(Files.size(volume), index.covered(), "and covers the whole volume");
      index.entries().forEach(e -> listed.add(e.sha256()));
    }
    assertEquals(List.copyOf(blobs.keySet()), listed, "every needle, in the order written");
  }

  @Test
  void aMissingIndexIsRebuiltByScanningTheVolume() throws Exception {
    Map<String, byte[]> blobs = writtenAndClosed(blobs(200, 2, 2000));
    for (Path index : files(".idx")) {
      Files.delete(index);
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, blobs);
    }
    assertEquals(files(".vol").size(), files(".idx").size(), "every index written again");
  }

  @Test
  void aDamagedIndexIsRebuiltByScanningTheVolume() throws Exception {
    Map<String, byte[]> blobs = writtenAndClosed(blobs(100, 3, 2000));
    for (Path index : files(".idx")) {
      try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
        f.seek(f.length() / 2);
        f.write(0x55);
      }
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, blobs);
    }
  }

  @Test
  void aTornLastNeedleIsCutOffAtStartAndTheRestStays() throws Exception {
    Map<String, byte[]> blobs = writtenAndClosed(blobs(50, 4, 1000));
    // a crash in the middle of an append: half a needle at the end, and the index gone with it
    Path last = files(".vol").get(files(".vol").size() - 1);
    long good = Files.size(last);
    byte[] torn = new byte[800];
    new Random(5).nextBytes(torn);
    ByteBuffer needle = Needle.live(sha256(torn), 9L, torn).encode();
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.APPEND)) {
      ch.write(needle.limit(needle.limit() / 2));
    }
    Files.delete(Volume.indexOf(last));
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertEquals(good, Files.size(last), "the torn needle cut off");
      assertNull(set.locate(sha256(torn)), "a torn needle is never half visible");
      assertAllReadable(set, blobs);
      byte[] after = "written after the crash".getBytes();
      set.put(sha256(after), after, 1).join();
      blobs.put(sha256(after), after);
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, blobs);
    }
  }

  @Test
  void aNeedleWithAFlippedByteReadsAsNotIntact() throws Exception {
    byte[] b = new byte[500];
    new Random(6).nextBytes(b);
    byte[] other = "another needle after it".getBytes();
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      VolumeSet.Location at = set.put(sha256(b), b, 1).join();
      set.put(sha256(other), other, 1).join();
      try (RandomAccessFile f = new RandomAccessFile(files(".vol").get(0).toFile(), "rw")) {
        f.seek(at.offset() + Needle.HEADER_BYTES + 100);
        int x = f.read();
        f.seek(at.offset() + Needle.HEADER_BYTES + 100);
        f.write(x ^ 0xFF);
      }
      assertFalse(set.read(sha256(b)).intact());
      assertTrue(set.read(sha256(other)).intact());
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertFalse(set.read(sha256(b)).intact(), "decay in the middle of a volume is kept for scrub to find");
      assertTrue(set.read(sha256(other)).intact());
    }
  }

  @Test
  void compactionKeepsEveryLiveNeedleByteExactAndReclaimsTheDeadOnes() throws Exception {
    Map<String, byte[]> blobs = blobs(400, 7, 2000);
    Map<String, byte[]> kept = new LinkedHashMap<>();
    List<String> deleted = new ArrayList<>();
    try (VolumeSet set = VolumeSet.open(dir, new VolumeSet.Options(64 << 10, 2.0), Fsync.DATA)) {
      putAll(set, blobs);
      long before = set.diskBytes();
      int i = 0;
      for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
        if (i++ % 3 == 0) {
          kept.put(e.getKey(), e.getValue());
        } else {
          assertTrue(set.delete(e.getKey(), Long.MAX_VALUE).join());
          deleted.add(e.getKey());
        }
      }
      // writes and reads go on while every sealed volume is compacted
      List<CompletableFuture<Void>> compactions = set.sealedVolumes().stream().map(set::compact).toList();
      Map<String, byte[]> during = blobs(50, 8, 2000);
      putAll(set, during);
      assertAllReadable(set, kept);
      compactions.forEach(CompletableFuture::join);
      kept.putAll(during);
      assertAllReadable(set, kept);
      for (String sha : deleted) {
        assertNull(set.read(sha));
      }
      assertTrue(set.diskBytes() < before * 2 / 3, "space reclaimed: " + set.diskBytes() + " of " + before);
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, kept);
      for (String sha : deleted) {
        assertNull(set.read(sha), "deleted stays deleted after a restart");
      }
    }
  }

  /**
   * A full volume's index is written beside the appends, not in front of them: with the compactor's
   * thread held up, a volume fills and ends and the writes after it are acknowledged while its
   * index is still to be written; it is written once that thread is free, and reopens the set.
   */
  @Test
  void writesGoOnWhileAFullVolumesIndexIsStillToBeWritten() throws Exception {
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // a compaction's new volume is forced under a .tmp name: hold the compactor's thread there
    Fsync holding = (file, channel) -> {
      if (file.getFileName().toString().endsWith(".tmp")) {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      channel.force(false);
    };
    Map<String, byte[]> first = blobs(100, 21, 2000);
    Map<String, byte[]> after = blobs(120, 22, 2000);
    try (VolumeSet set = VolumeSet.open(dir, SMALL, holding)) {
      Path ended;
      CompletableFuture<Void> compaction;
      try {
        putAll(set, first);
        compaction = set.compact(set.sealedVolumes().get(0));
        assertTrue(held.await(10, TimeUnit.SECONDS), "the compactor's thread is held");
        int sealedBefore = set.sealedVolumes().size();
        putAll(set, after);
        List<Long> nowSealed = set.sealedVolumes();
        assertTrue(nowSealed.size() > sealedBefore, "volumes filled and ended meanwhile");
        ended = Volume.fileOf(dir, nowSealed.get(nowSealed.size() - 1));
        assertFalse(Files.exists(Volume.indexOf(ended)), "its index waits for the compactor's thread, not the writes");
      } finally {
        release.countDown();
      }
      compaction.join();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(Volume.indexOf(ended)) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(Files.exists(Volume.indexOf(ended)), "then it is written");
      assertAllReadable(set, after);
    }
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      assertAllReadable(set, first);
      assertAllReadable(set, after);
    }
  }

  @Test
  void aDeletionKeepsANeedleThatLandedAfterTheGivenTime() throws Exception {
    byte[] b = "landed late".getBytes();
    try (VolumeSet set = VolumeSet.open(dir, SMALL, Fsync.DATA)) {
      set.put(sha256(b), b, 1000).join();
      assertFalse(set.delete(sha256(b), 999).join());
      assertNotNull(set.read(sha256(b)));
      assertTrue(set.delete(sha256(b), 1000).join());
      assertNull(set.read(sha256(b)));
      assertFalse(set.delete(sha256(b), Long.MAX_VALUE).join());
    }
  }

  /**
   * Group commit: each write is acknowledged only once an fsync that began after it was appended
   * has ended, and concurrent writes share fsyncs.
   */
  @Test
  void groupFsyncNeverAcknowledgesAWriteBeforeTheFsyncThatCoversIt() throws Exception {
    Map<Path, Long> durableUpTo = new ConcurrentHashMap<>();
    AtomicInteger fsyncs = new AtomicInteger();
    Fsync counting = (volume, channel) -> {
      long covered = channel.size();
      channel.force(false);
      fsyncs.incrementAndGet();
      durableUpTo.merge(volume.getFileName(), covered, Math::max);
    };
    int writers = 32;
    int each = 40;
    List<String> early = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger acknowledged = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (VolumeSet set = VolumeSet.open(dir, new VolumeSet.Options(256 << 10, 0.5), counting)) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int seed = w;
        done.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < each; i++) {
            byte[] b = new byte[1024];
            random.nextBytes(b);
            String sha = sha256(b);
            VolumeSet.Location at = set.put(sha, b, 1).thenApply(loc -> {
              // runs when the write is acknowledged
              long durable = durableUpTo.getOrDefault(Volume.fileOf(Path.of(""), loc.volume()), -1L);
              if (durable < loc.offset() + Needle.HEADER_BYTES + loc.size()) {
                early.add(sha + " acknowledged at " + durable + " before its end " + (loc.offset() + loc.size()));
              }
              acknowledged.incrementAndGet();
              return loc;
            }).join();
            assertNotNull(at);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(writers * each, acknowledged.get());
    assertTrue(early.isEmpty(), early.toString());
    assertTrue(fsyncs.get() < writers * each, "concurrent writes share fsyncs: " + fsyncs.get() + " for "
        + writers * each);
  }
}
