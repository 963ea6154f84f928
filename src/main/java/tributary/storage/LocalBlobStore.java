package tributary.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;
import tributary.digest.Digests;
import tributary.storage.volume.Fsync;
import tributary.storage.volume.VolumeSet;

/**
 * One storage node's blobs on disk (S1), content-addressed by SHA-256 under {@code ab/abcd...}.
 * Beside each blob larger than one chunk lies its chunk manifest ({@code .chunks}: the CRC-32C of
 * every {@value #CHUNK_BYTES}-byte chunk), so a read checks each chunk before it hands it out and a
 * range read checks only what it returns; a one-chunk blob is checked against its own name. The
 * chunk check guards against decay on disk and costs a fraction of a second hash pass; the
 * whole-blob SHA-256 is checked at write time and by every scrub. A blob is written to a temporary file and renamed into
 * place only once complete and fsynced, so a crash leaves either the whole blob or none.
 *
 * <p>Blobs smaller than the store's small-blob size are not files: they are needles appended to the
 * store's volumes ({@link VolumeSet}, in {@code volumes/}), which share one fsync among concurrent
 * writes and are checked by their CRC-32C on every read and by their SHA-256 on every scrub. The
 * methods below answer alike for both; a copy's place names the blob's file or its volume and
 * offset. Every method blocks: call it from a worker, except {@link Writer#finishAsync}, which
 * hands the wait for a volume's fsync to the volume's own thread.
 */
public final class LocalBlobStore implements AutoCloseable {
  /** Small enough that a chunk held for checking is an ordinary heap object, not a humongous one. */
  public static final int CHUNK_BYTES = 256 << 10;
  /** A large blob's file is forced to the disk every this many bytes as it is written. */
  static final long FLUSH_EVERY_BYTES = 8L << 20;
  private static final int STAGING_BYTES = 1 << 20;
  private static final HexFormat HEX = HexFormat.of();
  private static final OpenOption[] NEW_FILE = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};
  private static final OpenOption[] NEW_FILE_DIRECT =
      {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT};

  private final Path root;
  private final Path tmp;
  /** Blobs smaller than this are needles in {@link #needles}; 0: every blob has its own file. */
  private final long smallBelow;
  private final VolumeSet needles;
  /** The block size a large blob's file is written in with direct I/O; 0 where the file system has none. */
  private final int directBlock;
  /**
   * Striped locks by hash: a file takes its content address (rename) and is collected (checked,
   * then deleted) under its hash's lock, so a collection never removes bytes that landed after
   * it looked at the file.
   */
  private final Object[] locks = new Object[64];

  /** A store where every blob has its own file. */
  public LocalBlobStore(Path root) {
    this(root, 0, null);
  }

  /**
   * A store keeping blobs smaller than {@code smallBelow} bytes as needles in volumes under
   * {@code volumes/}, opened (and rebuilt after a crash) here.
   */
  public LocalBlobStore(Path root, long smallBelow, VolumeSet.Options volumes) {
    this(root, smallBelow, volumes, true);
  }

  /**
   * Like {@link #LocalBlobStore(Path, long, VolumeSet.Options)}; with {@code directWrites}, large
   * blobs' files are written with direct I/O where the file system allows it. A write through the
   * page cache copies every byte of each copy once more in the kernel, and then writes it back: with
   * three copies in a process that was most of a large upload's CPU (issue 18), twice what hashing
   * took.
   */
  LocalBlobStore(Path root, long smallBelow, VolumeSet.Options volumes, boolean directWrites) {
    this.root = root;
    this.tmp = root.resolve("tmp");
    this.smallBelow = volumes == null ? 0 : smallBelow;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    try {
      Files.createDirectories(tmp);
      this.directBlock = directWrites ? directBlockOf(tmp) : 0;
      this.needles = this.smallBelow > 0 ? VolumeSet.open(root.resolve("volumes"), volumes, Fsync.DATA) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob folder " + root, e);
    }
  }

  /** The block size of direct writes in {@code dir}, or 0 when its file system refuses them. */
  private static int directBlockOf(Path dir) throws IOException {
    Path probe = dir.resolve(UUID.randomUUID() + ".probe");
    try (FileChannel c = FileChannel.open(probe, NEW_FILE_DIRECT)) {
      return (int) Files.getFileStore(dir).getBlockSize();
    } catch (IOException | UnsupportedOperationException e) {
      return 0;
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Finishes pending volume writes and closes the volumes. */
  @Override
  public void close() {
    if (needles != null) {
      needles.close();
    }
  }

  /** Whether large blobs' files are written with direct I/O, past the page cache. */
  public boolean writesDirect() {
    return directBlock > 0;
  }

  public Path root() {
    return root;
  }

  /** The checksums and place of a complete blob. */
  public record Stored(String sha256, String md5, long size, String path) {}

  /**
   * What the sender says the bytes hash to (lowercase hex, either may be null): a blob that does
   * not match is dropped before it takes its content address, so a refused upload never touches
   * the file other blobs with that content share.
   */
  public record Expected(String sha256, String md5) {
    public static final Expected NOTHING = new Expected(null, null);

    /** Why {@code stored} is not what was expected, or null when it is. */
    public String mismatch(Stored stored) {
      if (sha256 != null && !sha256.equalsIgnoreCase(stored.sha256())) {
        return "the SHA-256 claimed does not match the bytes received (" + stored.sha256() + ")";
      }
      if (md5 != null && !md5.equalsIgnoreCase(stored.md5())) {
        return "the MD5 claimed does not match the bytes received";
      }
      return null;
    }
  }

  /** Thrown when a finished blob does not hash to what its sender claimed; nothing was kept. */
  public static final class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(String message) {
      super(message);
    }
  }

  /** Thrown when bytes on disk no longer match their hash. */
  public static final class CorruptBlobException extends IOException {
    public CorruptBlobException(String message) {
      super(message);
    }
  }

  /** Starts a blob; feed it bytes in order, then {@link Writer#finish} or {@link Writer#abort}. */
  public Writer begin() {
    return new Writer(new SharedDigest());
  }

  /**
   * A writer of one of an upload's copies in this process, whose SHA-256 and MD5 are computed once
   * for all of them by {@code digest}; its bytes must be the same as every other such copy's.
   */
  public Writer begin(SharedDigest digest) {
    return new Writer(digest);
  }

  public final class Writer {
    /** The temporary file, named at the spill: a blob that stays a needle never has one. */
    private Path file;
    /**
     * The blob's bytes while it may still be a needle ({@link #size} of them); null once it has its
     * own file. A body that comes in one buffer is held in an array of exactly its size, which the
     * needle takes as it is.
     */
    private byte[] small = new byte[0];
    private FileChannel channel;
    /** Bytes on their way to the file, from the spill on. */
    private ByteBuffer staging;
    /** Computes the checksums of this copy, and of the upload's other copies in this process. */
    private final SharedDigest digest;
    private final CRC32C chunk = new CRC32C();
    private int chunks;
    private final ByteArrayOutputStream manifest = new ByteArrayOutputStream();
    private long size;
    private int inChunk;
    /** Bytes written to the file since it was last forced to the disk. */
    private long unflushed;

    private Writer(SharedDigest digest) {
      this.digest = digest;
    }

    /** From here on the blob is a file: what came so far is written to it. */
    private void spill() throws IOException {
      file = tmp.resolve(UUID.randomUUID() + ".part");
      channel = FileChannel.open(file, directBlock > 0 ? NEW_FILE_DIRECT : NEW_FILE);
      int align = Math.max(directBlock, 1);
      staging = ByteBuffer.allocateDirect(STAGING_BYTES + align).alignedSlice(align).limit(STAGING_BYTES).slice();
      ByteBuffer held = ByteBuffer.wrap(small, 0, (int) size);
      small = null;
      stage(held);
    }

    public long size() {
      return size;
    }

    /**
     * Whether {@code more} bytes would still leave the blob a needle held in memory: writing them
     * and then finishing touch no disk on the caller's thread (the volume's own thread appends).
     */
    public boolean staysNeedle(long more) {
      return small != null && needles != null && size + more < smallBelow;
    }

    public void write(ByteBuffer bytes) throws IOException {
      write(List.of(bytes));
    }

    /** Writes the parts in order: hashed where they lie, then copied once on their way to the file. */
    public void write(List<ByteBuffer> parts) throws IOException {
      long at = size;
      for (ByteBuffer part : parts) {
        hash(at, part.duplicate());
        at += part.remaining();
      }
      for (ByteBuffer part : parts) {
        int length = part.remaining();
        if (small != null && size + length < smallBelow) {
          if (small.length < size + length) {
            small = Arrays.copyOf(small, (int) Math.max(size + length, Math.min(2L * small.length, smallBelow)));
          }
          part.duplicate().get(small, (int) size, length);
        } else {
          if (small != null) {
            spill();
          }
          stage(part.duplicate());
        }
        size += length;
        unflushed += length;
      }
      if (channel != null) {
        drainStaging();
        if (unflushed >= FLUSH_EVERY_BYTES) {
          // the disk writes while the rest streams in, instead of all of it at the final fsync
          channel.force(false);
          unflushed = 0;
        }
      }
    }

    /** Hands the bytes, which lie at {@code offset} of the blob, to the digest and to the chunk checks. */
    private void hash(long offset, ByteBuffer bytes) throws IOException {
      digest.update(offset, bytes);
      while (bytes.hasRemaining()) {
        int take = Math.min(bytes.remaining(), CHUNK_BYTES - inChunk);
        chunk.update(bytes.slice(bytes.position(), take));
        bytes.position(bytes.position() + take);
        inChunk += take;
        if (inChunk == CHUNK_BYTES) {
          endChunk();
        }
      }
    }

    /**
     * Copies the bytes into the direct staging buffer, written out whenever it fills: the file
     * channel would otherwise copy every heap buffer into a temporary direct one of its own.
     */
    private void stage(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        int take = Math.min(bytes.remaining(), staging.remaining());
        staging.put(bytes.slice(bytes.position(), take));
        bytes.position(bytes.position() + take);
        if (!staging.hasRemaining()) {
          drainStaging();
        }
      }
    }

    private void drainStaging() throws IOException {
      staging.flip();
      int whole = directBlock > 0 ? staging.limit() - staging.limit() % directBlock : staging.limit();
      ByteBuffer out = staging.slice(0, whole);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      staging.position(whole);
      staging.compact();
    }

    /** Writes what is left in the staging buffer: with direct I/O, padded to a block and cut back. */
    private void drainTail() throws IOException {
      drainStaging();
      if (staging.position() > 0) {
        staging.put(new byte[directBlock - staging.position()]);
        drainStaging();
        channel.truncate(size);
      }
    }

    private void endChunk() throws IOException {
      int crc = (int) chunk.getValue();
      if (!digest.sameChunk(chunks, crc)) {
        throw new IOException("chunk " + chunks + " of this copy differs from the upload's other copies");
      }
      chunks++;
      manifest.writeBytes(ByteBuffer.allocate(4).putInt(crc).array());
      chunk.reset();
      inChunk = 0;
    }

    /** Makes the blob durable and visible under its hash; an existing equal blob is kept. */
    public Stored finish() throws IOException {
      return finish(Expected.NOTHING);
    }

    /**
     * Like {@link #finish()}, but a blob that does not hash to {@code expected} is dropped from
     * the temporary folder instead: its content address is never touched.
     */
    public Stored finish(Expected expected) throws IOException {
      return await(finishAsync(expected));
    }

    /**
     * Like {@link #finish(Expected)}, but a small blob's wait for the fsync of its volume happens on
     * the volume's thread: the future completes once the blob is durable. Blocking for a blob
     * with its own file.
     */
    public CompletableFuture<Stored> finishAsync(Expected expected) throws IOException {
      if (inChunk > 0 || size == 0) {
        endChunk();
      }
      SharedDigest.Sums sums = digest.sums(size);
      String hash = sums.sha256();
      Stored stored = new Stored(hash, sums.md5(), size, relative(hash));
      String mismatch = expected.mismatch(stored);
      if (mismatch != null) {
        abort();
        return CompletableFuture.failedFuture(new ChecksumMismatchException(mismatch));
      }
      if (small != null && needles != null) {
        byte[] held = small.length == size ? small : Arrays.copyOf(small, (int) size);
        return needles.put(hash, held, System.currentTimeMillis())
            .thenApply(at -> new Stored(stored.sha256(), stored.md5(), size, at.place()));
      }
      if (small != null) {
        spill();
      }
      return CompletableFuture.completedFuture(finishFile(stored));
    }

    private Stored finishFile(Stored stored) throws IOException {
      String hash = stored.sha256();
      drainTail();
      channel.force(true);
      channel.close();
      Path target = blobPath(hash);
      Path manifestTmp = null;
      if (size > CHUNK_BYTES) {
        manifestTmp = tmp.resolve(UUID.randomUUID() + ".chunks");
        try (FileChannel out = FileChannel.open(manifestTmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer all = ByteBuffer.wrap(manifest.toByteArray());
          while (all.hasRemaining()) {
            out.write(all);
          }
          out.force(true);
        }
      }
      synchronized (lock(hash)) {
        Files.createDirectories(target.getParent());
        if (manifestTmp != null) {
          move(manifestTmp, manifestPath(hash));
        }
        move(file, target);
        // the rename keeps the temporary file's time: the content address says when bytes last landed
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      }
      syncDirectory(target.getParent());
      return stored;
    }

    public void abort() {
      if (channel == null) {
        small = null;
        return;
      }
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Stores a finished local file (a task's output) as a blob; the file itself is left alone. */
  public Stored put(Path file) throws IOException {
    Writer writer = begin();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
      while (in.read(buffer) >= 0) {
        buffer.flip();
        writer.write(buffer);
        buffer.clear();
      }
      return writer.finish();
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  /** The file of a blob that has its own. */
  public Path file(String sha256) {
    return blobPath(sha256);
  }

  /** A blob as a local file, for steps that read it whole after {@link #verify}; close it after. */
  public record Local(Path path, boolean copied) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (copied) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The blob's own file, or a needle's bytes copied out to a temporary file. */
  public Local local(String sha256) throws IOException {
    VolumeSet.Read needle = needle(sha256);
    if (needle == null) {
      return new Local(file(sha256), false);
    }
    Path out = temporaryFile();
    try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = needle.data();
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
    return new Local(out, true);
  }

  /** Where the blob lies under the store's folder: its file, or its volume and offset (S8). */
  public String place(String sha256) {
    VolumeSet.Location at = needles == null ? null : needles.locate(sha256);
    return at == null ? relative(sha256) : at.place();
  }

  /** The blob's needle, or null when it is not one here. */
  private VolumeSet.Read needle(String sha256) throws IOException {
    return needles == null ? null : needles.read(sha256);
  }

  private static <T> T await(CompletableFuture<T> pending) throws IOException {
    try {
      return pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /** A fresh temporary file in the store's folder, for a task's output. */
  public Path temporaryFile() {
    return tmp.resolve(UUID.randomUUID() + ".out");
  }

  /**
   * Whether the blob is here, and if so marks it as just landed, as a fresh upload would: a
   * collection that looked before the copy found here is recorded leaves the file alone.
   */
  public boolean claim(String sha256) throws IOException {
    if (needles != null && needles.touch(sha256, System.currentTimeMillis())) {
      return true;
    }
    synchronized (lock(sha256)) {
      if (!has(sha256)) {
        return false;
      }
      Files.setLastModifiedTime(blobPath(sha256), java.nio.file.attribute.FileTime.fromMillis(
          System.currentTimeMillis()));
      return true;
    }
  }

  public boolean has(String sha256) {
    if (needles != null && needles.locate(sha256) != null) {
      return true;
    }
    try {
      return Files.size(blobPath(sha256)) <= CHUNK_BYTES || Files.exists(manifestPath(sha256));
    } catch (IOException e) {
      return false;
    }
  }

  /** The blob's size; throws NoSuchFileException when it is not here. */
  public long size(String sha256) throws IOException {
    VolumeSet.Location at = needles == null ? null : needles.locate(sha256);
    return at != null ? at.size() : Files.size(blobPath(sha256));
  }

  /**
   * Bytes {@code [from, to)} of the blob that lie in the chunk holding {@code from}, after
   * checking that whole chunk against the manifest.
   */
  public ByteBuffer readVerified(String sha256, long from, long to) throws IOException {
    VolumeSet.Read needle = needle(sha256);
    if (needle != null) {
      if (!needle.intact()) {
        throw new CorruptBlobException("the needle of " + sha256 + " does not match its CRC");
      }
      ByteBuffer data = needle.data();
      int start = (int) Math.min(from, data.remaining());
      int end = (int) Math.max(start, Math.min(to, data.remaining()));
      return data.slice(data.position() + start, end - start);
    }
    int index = (int) (from / CHUNK_BYTES);
    long chunkStart = (long) index * CHUNK_BYTES;
    try (FileChannel in = FileChannel.open(blobPath(sha256), StandardOpenOption.READ)) {
      long size = in.size();
      int length = (int) Math.min(CHUNK_BYTES, size - chunkStart);
      ByteBuffer bytes = ByteBuffer.allocate(Math.max(length, 0));
      while (bytes.hasRemaining() && in.read(bytes, chunkStart + bytes.position()) >= 0) {
        // read until the chunk is full or the file ends
      }
      if (bytes.hasRemaining() || !chunkMatches(sha256, size, index, bytes.array())) {
        throw new CorruptBlobException("chunk " + index + " of " + sha256 + " does not match its hash");
      }
      int start = (int) (from - chunkStart);
      int end = (int) Math.min(length, to - chunkStart);
      return ByteBuffer.wrap(bytes.array(), start, end - start);
    }
  }

  private boolean chunkMatches(String sha256, long size, int index, byte[] bytes) throws IOException {
    if (size <= CHUNK_BYTES) {
      return Arrays.equals(HEX.parseHex(sha256), Digests.of("SHA-256").digest(bytes));
    }
    ByteBuffer expected = ByteBuffer.allocate(4);
    try (FileChannel manifest = FileChannel.open(manifestPath(sha256), StandardOpenOption.READ)) {
      manifest.read(expected, (long) index * 4);
    }
    if (expected.hasRemaining()) {
      throw new CorruptBlobException("manifest of " + sha256 + " is short");
    }
    return expected.getInt(0) == crc(bytes, 0, bytes.length);
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Re-hashes the whole blob and its manifest (S5); throws when either no longer matches. */
  public void verify(String sha256, RateLimit limit) throws IOException {
    CopyVerdict.Scan scan = hash(sha256, limit, false);
    if (!scan.chunksMatch()) {
      throw new CorruptBlobException("a chunk of " + sha256 + " does not match its manifest");
    }
    if (!scan.sha256().equals(sha256)) {
      throw new CorruptBlobException(sha256 + " does not hash to its name");
    }
  }

  /**
   * Re-hashes the whole blob with SHA-256 and MD5 and checks it against its chunk manifest (the
   * scrub's check, S5), for {@link CopyVerdict} to judge; throws only when the blob cannot be read
   * ({@link NoSuchFileException} when it is not here).
   */
  public CopyVerdict.Scan scan(String sha256, RateLimit limit) throws IOException {
    return hash(sha256, limit, true);
  }

  /** One pass over the blob; {@code whole}: MD5 too, and on past a bad chunk instead of stopping there. */
  private CopyVerdict.Scan hash(String sha256, RateLimit limit, boolean whole) throws IOException {
    MessageDigest sha = Digests.of("SHA-256");
    MessageDigest md5 = whole ? Digests.of("MD5") : null;
    VolumeSet.Read needle = needle(sha256);
    if (needle != null) {
      limit.acquire(needle.data().remaining());
      sha.update(needle.data().duplicate());
      if (md5 != null) {
        md5.update(needle.data().duplicate());
      }
      return new CopyVerdict.Scan(Digests.hex(sha.digest()), md5 == null ? null : Digests.hex(md5.digest()),
          needle.intact());
    }
    boolean chunksMatch = true;
    try (FileChannel in = FileChannel.open(blobPath(sha256), StandardOpenOption.READ)) {
      long size = in.size();
      long chunks = (size + CHUNK_BYTES - 1) / CHUNK_BYTES;
      ByteBuffer manifest = null;
      if (size > CHUNK_BYTES) {
        try {
          manifest = ByteBuffer.wrap(Files.readAllBytes(manifestPath(sha256)));
        } catch (NoSuchFileException noManifest) {
          chunksMatch = false;
        }
        if (manifest != null && manifest.remaining() != chunks * 4) {
          manifest = null;
          chunksMatch = false;
        }
      }
      if (!chunksMatch && !whole) {
        return new CopyVerdict.Scan(null, null, false);
      }
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
      for (long index = 0; index < chunks; index++) {
        buffer.clear();
        while (buffer.hasRemaining() && in.read(buffer) >= 0) {
          // fill the chunk
        }
        buffer.flip();
        limit.acquire(buffer.remaining());
        sha.update(buffer.array(), 0, buffer.remaining());
        if (md5 != null) {
          md5.update(buffer.array(), 0, buffer.remaining());
        }
        if (manifest != null && manifest.getInt() != crc(buffer.array(), 0, buffer.remaining())) {
          chunksMatch = false;
          if (!whole) {
            return new CopyVerdict.Scan(null, null, false);
          }
        }
      }
    }
    return new CopyVerdict.Scan(Digests.hex(sha.digest()), md5 == null ? null : Digests.hex(md5.digest()),
        chunksMatch);
  }

  /**
   * Removes the file of content no copy references any more, unless bytes landed under its
   * address after {@code landedUpTo} (epoch ms): those may belong to an upload not yet recorded,
   * and a later sweep decides on them. Returns whether the file went. Only {@link BlobCollector}
   * calls this, after asking the catalog.
   */
  public boolean collect(String sha256, long landedUpTo) throws IOException {
    if (needles != null && needles.locate(sha256) != null) {
      return await(needles.delete(sha256, landedUpTo));
    }
    synchronized (lock(sha256)) {
      Path file = blobPath(sha256);
      try {
        if (Files.getLastModifiedTime(file).toMillis() > landedUpTo) {
          return false;
        }
      } catch (NoSuchFileException gone) {
        // nothing to keep; a manifest may be left
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(manifestPath(sha256));
      return true;
    }
  }

  /**
   * Removes the blob's file if it still fails its check (S5): bytes that a good copy replaced
   * since the bad ones were found stay. Returns whether the file went. Only {@link BlobCollector}
   * calls this, after asking the catalog.
   */
  public boolean discardIfCorrupt(String sha256) throws IOException {
    if (needles != null && needles.locate(sha256) != null) {
      try {
        verify(sha256, RateLimit.NONE);
        return false;
      } catch (CorruptBlobException bad) {
        return await(needles.delete(sha256, Long.MAX_VALUE));
      }
    }
    synchronized (lock(sha256)) {
      Path file = blobPath(sha256);
      if (!Files.exists(file)) {
        Files.deleteIfExists(manifestPath(sha256));
        return false;
      }
      try {
        verify(sha256, RateLimit.NONE);
        return false;
      } catch (IOException bad) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(manifestPath(sha256));
        return true;
      }
    }
  }

  private Object lock(String sha256) {
    return locks[Math.floorMod(sha256.hashCode(), locks.length)];
  }

  /**
   * Files older than {@code before} (epoch ms) that may be leftovers: partial uploads in the
   * temporary folder, and blobs (by hash) that no placement may know of any more.
   */
  public record Leftovers(java.util.List<Path> partial, java.util.List<String> blobs) {}

  public Leftovers leftovers(long before) throws IOException {
    java.util.List<Path> partial = new java.util.ArrayList<>();
    java.util.List<String> blobs = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.walk(root, 2)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          if (!Files.isRegularFile(p) || Files.getLastModifiedTime(p).toMillis() >= before) {
            continue;
          }
        } catch (NoSuchFileException goneMeanwhile) {
          continue;
        }
        String name = p.getFileName().toString();
        if (p.getParent().equals(tmp)) {
          partial.add(p);
        } else if (Digests.isSha256Hex(name)) {
          blobs.add(name);
        }
      }
    }
    if (needles != null) {
      blobs.addAll(needles.landedBefore(before));
    }
    return new Leftovers(partial, blobs);
  }

  /** Where the blob lies under the store's folder, for the placement record. */
  public static String relative(String sha256) {
    return sha256.substring(0, 2) + "/" + sha256;
  }

  Path blobPath(String sha256) {
    if (!Digests.isSha256Hex(sha256)) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return root.resolve(relative(sha256));
  }

  private Path manifestPath(String sha256) {
    return root.resolve(relative(sha256) + ".chunks");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void syncDirectory(Path dir) {
    // fsync of the folder makes the rename durable; some file systems refuse it, and then the
    // rename is as durable as they make it
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // not supported here
    }
  }

  /** Whether a copy is missing rather than corrupt. */
  public static boolean isMissing(IOException e) {
    return e instanceof NoSuchFileException;
  }
}
