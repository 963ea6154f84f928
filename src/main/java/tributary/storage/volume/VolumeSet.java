package tributary.storage.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.digest.Digests;

/**
 * A storage node's small blobs (S1): needles appended to volume files of bounded size, found
 * through an in-memory map of the live ones (rebuilt at start from each volume's index, or by
 * scanning the volume when its index is missing or damaged; a torn needle at the end of the last
 * volume is cut off).
 *
 * <p>Every write and deletion goes through one appender thread, which takes all that is queued,
 * appends it, makes it durable with one fsync, and only then publishes it and completes its
 * future (group commit): nothing is acknowledged before the fsync that covers it, and a needle is
 * never visible before it is durable. Content is addressed by SHA-256: a write of content already
 * here is a no-op. A deletion appends a tombstone; a sealed volume whose dead share passes the
 * threshold is copied, live needles only, to a new volume on the compactor thread while reads and
 * writes go on, and switched to on the appender thread.
 *
 * <p>A crash may bring back needles deleted shortly before it (a tombstone not yet durable, or one
 * that a compaction under way outran); they are referenced by no copy, and the leftover sweep
 * collects them again. It never loses a needle that was acknowledged.
 */
public final class VolumeSet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeSet.class);

  /** How large a volume grows before the next one starts, and the dead share that compacts it. */
  public record Options(long volumeBytes, double compactDeadShare) {
    public static final Options DEFAULT = new Options(256L << 20, 0.5);
  }

  /** Where a needle lies, for the placement record (S8: a copy names its volume and offset). */
  public record Location(long volume, long offset, long size, long landedAt) {
    public String place() {
      return "volumes/" + Volume.fileName(volume) + "@" + offset;
    }
  }

  /** A needle's bytes ({@code data}, a view of the read) and whether they match its CRC and hash. */
  public record Read(ByteBuffer data, boolean intact) {}

  private sealed interface Op permits Put, Delete, Swap, Stop {}

  private record Put(String sha256, byte[] data, long landedAt, CompletableFuture<Location> done) implements Op {}

  private record Delete(String sha256, long landedUpTo, CompletableFuture<Boolean> done) implements Op {}

  private record Swap(Volume old, Volume fresh, Map<String, Slot> moved, CompletableFuture<Void> done) implements Op {}

  private record Stop(CompletableFuture<Void> done) implements Op {}

  private final Path dir;
  private final Options options;
  private final Fsync fsync;
  private final NeedleMap live = new NeedleMap();
  private final ConcurrentSkipListMap<Long, Volume> volumes = new ConcurrentSkipListMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Set<Long> compacting = ConcurrentHashMap.newKeySet();
  private final ExecutorService compactor;
  private final Thread appender;
  /** The volume appended to; the appender thread's alone once open. */
  private Volume active;
  private volatile boolean closed;

  private VolumeSet(Path dir, Options options, Fsync fsync) {
    this.dir = dir;
    this.options = options;
    this.fsync = fsync;
    String name = dir.getParent() == null ? dir.toString() : dir.getParent().getFileName().toString();
    this.compactor = Executors.newSingleThreadExecutor(r -> daemon(r, "tributary-volume-compact-" + name));
    this.appender = daemon(this::appendLoop, "tributary-volume-append-" + name);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Opens the volumes in {@code dir} (made if missing), rebuilding what a crash left. Blocking. */
  public static VolumeSet open(Path dir, Options options, Fsync fsync) throws IOException {
    VolumeSet set = new VolumeSet(dir, options, fsync);
    set.load();
    set.appender.start();
    return set;
  }

  private void load() throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(".tmp")) {
          Files.delete(p);
        }
      }
    }
    List<Long> ids = volumeIds(dir);
    for (int i = 0; i < ids.size(); i++) {
      Volume v = Volume.open(dir, ids.get(i));
      volumes.put(v.id, v);
      recover(v, i == ids.size() - 1);
      replay(v, live);
    }
    nextId.set(ids.isEmpty() ? 1 : ids.get(ids.size() - 1) + 1);
    Volume last = volumes.isEmpty() ? null : volumes.lastEntry().getValue();
    active = last != null && last.end() < options.volumeBytes() ? last : newVolume();
  }

  static List<Long> volumeIds(Path dir) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.matches("\\d{8}\\.vol")) {
          ids.add(Long.parseLong(name.substring(0, 8)));
        }
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /** A volume's needles as its index and a scan of what the index does not cover find them. */
  private record Found(List<Volume.Entry> entries, Volume.Scan scan, boolean indexUsed) {}

  private static Found find(Volume v) throws IOException {
    VolumeIndex.Loaded index = VolumeIndex.read(v.path);
    if (index != null && index.covered() > v.channel.size()) {
      index = null;
    }
    Volume.Scan scan = v.scan(index == null ? 0 : index.covered());
    List<Volume.Entry> entries = new ArrayList<>(index == null ? List.of() : index.entries());
    entries.addAll(scan.entries());
    return new Found(entries, scan, index != null);
  }

  /**
   * The live needles of a volume folder and where they lie, read without changing anything (the
   * folder may be in use): what a store there would serve after a restart.
   */
  public static Map<String, Location> liveIn(Path dir) throws IOException {
    NeedleMap live = new NeedleMap();
    if (Files.isDirectory(dir)) {
      for (long id : volumeIds(dir)) {
        Volume v = Volume.open(dir, id);
        try {
          Found found = find(v);
          v.adopt(found.entries(), found.scan().goodEnd());
          replay(v, live);
        } finally {
          v.close();
        }
      }
    }
    Map<String, Location> out = new HashMap<>();
    live.entries().forEach(e -> out.put(e.getKey(), e.getValue().location()));
    return out;
  }

  /** Reads the volume's index, or scans it when the index is missing, damaged or behind. */
  private void recover(Volume v, boolean last) throws IOException {
    long size = v.channel.size();
    Found found = find(v);
    Volume.Scan scan = found.scan();
    List<Volume.Entry> entries = found.entries();
    if (scan.torn() && last) {
      LOG.warn("torn needle cut off [volume: {}, at: {}, bytes: {}]", v.path, scan.goodEnd(), size - scan.goodEnd());
      v.channel.truncate(scan.goodEnd());
      v.channel.force(true);
    } else if (scan.torn()) {
      LOG.warn("volume unreadable past a damaged needle [volume: {}, at: {}]", v.path, scan.goodEnd());
    }
    v.adopt(entries, scan.goodEnd());
    if (!found.indexUsed() || !scan.entries().isEmpty() || scan.torn()) {
      LOG.info("volume index rebuilt [volume: {}, needles: {}]", v.path, entries.size());
      v.writeIndex(scan.goodEnd());
    }
  }

  /** Applies the volume's needles in order: later needles supersede earlier ones, tombstones remove. */
  private static void replay(Volume v, NeedleMap live) {
    for (Volume.Entry e : v.entries()) {
      Slot old = e.flags() == Needle.LIVE ? live.put(e.sha256(), new Slot(v, e.offset(), e.size(), e.landedAt()))
          : live.remove(e.sha256());
      if (old != null) {
        old.volume().deadBytes.addAndGet(old.length());
      }
      if (e.flags() == Needle.TOMBSTONE) {
        v.deadBytes.addAndGet(Needle.HEADER_BYTES);
      }
    }
  }

  private Volume newVolume() throws IOException {
    Volume v = Volume.open(dir, nextId.getAndIncrement());
    volumes.put(v.id, v);
    syncDirectory();
    return v;
  }

  // ---- the caller's side

  /**
   * Stores the bytes as a needle; completes once they are durable (or at once, when this content
   * is here already: its landing time is brought forward instead).
   */
  public CompletableFuture<Location> put(String sha256, byte[] data, long landedAt) {
    if (!Digests.isSha256Hex(sha256)) {
      // refused here, so that nothing the needle tables cannot hold reaches the appender thread
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a SHA-256 in lowercase hex: " + sha256));
    }
    Slot here = live.touch(sha256, landedAt);
    if (here != null) {
      return CompletableFuture.completedFuture(here.location());
    }
    return enqueue(new Put(sha256, data, landedAt, new CompletableFuture<>()), Put::done);
  }

  /**
   * Deletes the needle unless it landed after {@code landedUpTo} (epoch ms; {@link Long#MAX_VALUE}:
   * whenever it landed); completes with whether it went, once its tombstone is durable.
   */
  public CompletableFuture<Boolean> delete(String sha256, long landedUpTo) {
    if (!live.contains(sha256)) {
      return CompletableFuture.completedFuture(false);
    }
    return enqueue(new Delete(sha256, landedUpTo, new CompletableFuture<>()), Delete::done);
  }

  private <O extends Op, T> CompletableFuture<T> enqueue(O op, java.util.function.Function<O, CompletableFuture<T>> done) {
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("the volumes in " + dir + " are closed"));
    }
    queue.add(op);
    return done.apply(op);
  }

  public Location locate(String sha256) {
    Slot s = live.get(sha256);
    return s == null ? null : s.location();
  }

  /** Marks the needle as just landed, as a new write of it would; whether it is here. */
  public boolean touch(String sha256, long now) {
    return live.touch(sha256, now) != null;
  }

  /** The needle's bytes, or null when it is not here. Blocking. */
  public Read read(String sha256) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Slot s = live.get(sha256);
      if (s == null) {
        return null;
      }
      try {
        byte[] raw = s.volume().read(s.offset(), s.size());
        Needle.Header h = Needle.header(raw);
        boolean intact = h != null && h.sha256().equals(sha256)
            && h.intact(raw, Needle.HEADER_BYTES, raw.length - Needle.HEADER_BYTES);
        return new Read(ByteBuffer.wrap(raw, Needle.HEADER_BYTES, raw.length - Needle.HEADER_BYTES), intact);
      } catch (ClosedChannelException moved) {
        // a compaction moved the needle meanwhile: look it up again
        if (attempt >= 3) {
          throw moved;
        }
      }
    }
  }

  /** Live needles that landed before {@code before} (epoch ms). */
  public List<String> landedBefore(long before) {
    return live.landedBefore(before).stream().map(Map.Entry::getKey).toList();
  }

  /** Bytes all volume files take on disk. */
  long diskBytes() {
    return volumes.values().stream().mapToLong(Volume::end).sum();
  }

  // ---- the appender thread

  private void appendLoop() {
    List<Op> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch);
      Stop stop = null;
      List<Op> work = new ArrayList<>();
      for (Op op : batch) {
        if (op instanceof Stop s) {
          stop = s;
        } else {
          work.add(op);
        }
      }
      batch.clear();
      commit(work);
      if (stop != null) {
        finish(stop);
        return;
      }
    }
  }

  /** Appends the batch, makes it durable with one fsync per volume written, then publishes it. */
  private void commit(List<Op> batch) {
    Volume startVolume = active;
    long startEnd = active.end();
    Set<Volume> written = new LinkedHashSet<>();
    Map<String, Slot> pending = new HashMap<>();
    List<Runnable> after = new ArrayList<>();
    try {
      for (Op op : batch) {
        if (op instanceof Put p) {
          put(p, pending, written, after);
        } else if (op instanceof Delete d) {
          delete(d, pending, written, after);
        } else if (op instanceof Swap s) {
          swap(s, written, after);
        }
      }
      for (Volume v : written) {
        v.force(fsync);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("volume write failed, nothing of it acknowledged [volume: {}, writes: {}, cause: {}]", active.path,
          batch.size(), e.toString());
      try {
        if (active == startVolume) {
          active.truncate(startEnd);
        }
      } catch (IOException cut) {
        LOG.warn("could not cut a failed write off [volume: {}]", active.path, cut);
      }
      for (Op op : batch) {
        fail(op, e);
      }
      return;
    }
    after.forEach(Runnable::run);
  }

  private void put(Put p, Map<String, Slot> pending, Set<Volume> written, List<Runnable> after) throws IOException {
    Slot here = pending.containsKey(p.sha256()) ? pending.get(p.sha256()) : live.touch(p.sha256(), p.landedAt());
    if (here != null) {
      // written again: its landing time moves at once, so a delete later in this batch spares it
      Slot now = here.landed(p.landedAt());
      pending.put(p.sha256(), now);
      after.add(() -> {
        live.touch(p.sha256(), p.landedAt());
        p.done().complete(now.location());
      });
      return;
    }
    Volume.Entry e = append(Needle.live(p.sha256(), p.landedAt(), p.data()), written);
    Slot slot = new Slot(active, e.offset(), e.size(), e.landedAt());
    pending.put(p.sha256(), slot);
    after.add(() -> {
      live.put(p.sha256(), slot);
      p.done().complete(slot.location());
    });
  }

  private void delete(Delete d, Map<String, Slot> pending, Set<Volume> written, List<Runnable> after)
      throws IOException {
    Slot here = pending.containsKey(d.sha256()) ? pending.get(d.sha256()) : live.get(d.sha256());
    if (here == null || here.landedAt() > d.landedUpTo()) {
      after.add(() -> d.done().complete(false));
      return;
    }
    pending.put(d.sha256(), null);
    append(Needle.tombstone(d.sha256(), System.currentTimeMillis()), written);
    Volume tombs = active;
    after.add(() -> {
      Slot gone = live.remove(d.sha256());
      tombs.deadBytes.addAndGet(Needle.HEADER_BYTES);
      if (gone != null) {
        gone.volume().deadBytes.addAndGet(gone.length());
        considerCompacting(gone.volume());
      }
      d.done().complete(true);
    });
  }

  /** Appends to the active volume, starting the next one first when this needle would overfill it. */
  private Volume.Entry append(Needle needle, Set<Volume> written) throws IOException {
    if (active.end() > 0 && active.end() + needle.length() > options.volumeBytes()) {
      seal();
    }
    written.add(active);
    return active.append(needle);
  }

  /**
   * Ends the active volume (durable) and starts the next; the ended volume's needles are listed and
   * its index written on the compactor's thread. Done here, the index of a full volume (some 200,000
   * needles of 1 KB, each named in hex on the way) held every write behind it for 200-300 ms, on
   * every storage node at once when they fill alike (issue 18); a volume without its index is
   * scanned at start, so nothing waits for it.
   */
  private void seal() throws IOException {
    Volume full = active;
    full.force(fsync);
    full.ended();
    active = newVolume();
    long end = full.end();
    // nothing is appended to an ended volume: its index can be written from the other thread
    Runnable index = () -> {
      try {
        full.writeIndex(end);
      } catch (IOException | RuntimeException e) {
        LOG.warn("volume index not written; the volume is scanned at the next start [volume: {}, cause: {}]",
            full.path, e.toString());
      }
    };
    try {
      compactor.execute(index);
    } catch (RejectedExecutionException closing) {
      index.run();
    }
    considerCompacting(full);
  }

  /**
   * Switches the compacted needles to their new volume. Appends from now on go to a volume after
   * it, and a needle deleted (or deleted and written again) while it was copied gets a tombstone
   * (or its live bytes again) there, so a restart, which replays volumes in order, sees the same.
   */
  private void swap(Swap s, Set<Volume> written, List<Runnable> after) throws IOException {
    if (active.id < s.fresh().id) {
      if (active.end() > 0) {
        seal();
      } else {
        volumes.remove(active.id);
        active.close();
        Files.deleteIfExists(active.path);
        active = newVolume();
      }
    }
    List<Runnable> switches = new ArrayList<>();
    for (Map.Entry<String, Slot> m : s.moved().entrySet()) {
      String sha = m.getKey();
      Slot was = findSlot(s.old(), sha);
      Slot now = live.get(sha);
      if (now != null && now.sameNeedle(was)) {
        switches.add(() -> {
          if (!live.replace(sha, now, m.getValue())) {
            s.fresh().deadBytes.addAndGet(m.getValue().length());
          }
        });
      } else if (now == null) {
        append(Needle.tombstone(sha, System.currentTimeMillis()), written);
        s.fresh().deadBytes.addAndGet(m.getValue().length());
      } else {
        byte[] raw = now.volume().read(now.offset(), now.size());
        Needle again = Needle.live(sha, now.landedAt(), java.util.Arrays.copyOfRange(raw, Needle.HEADER_BYTES, raw.length));
        Volume.Entry e = append(again, written);
        Slot moved = new Slot(active, e.offset(), e.size(), e.landedAt());
        switches.add(() -> live.replace(sha, now, moved));
        s.fresh().deadBytes.addAndGet(m.getValue().length());
      }
    }
    after.add(() -> {
      switches.forEach(Runnable::run);
      volumes.remove(s.old().id);
      s.old().close();
      try {
        Files.deleteIfExists(s.old().path);
        VolumeIndex.delete(s.old().path);
        syncDirectory();
      } catch (IOException e) {
        LOG.warn("compacted volume not removed [volume: {}]", s.old().path, e);
      }
      LOG.info("volume compacted [from: {}, to: {}, live needles: {}]", s.old().path.getFileName(),
          s.fresh().path.getFileName(), s.moved().size());
      s.done().complete(null);
    });
  }

  private Slot findSlot(Volume volume, String sha256) {
    Slot s = live.get(sha256);
    return s != null && s.volume() == volume ? s : null;
  }

  private static void fail(Op op, Throwable e) {
    if (op instanceof Put p) {
      p.done().completeExceptionally(e);
    } else if (op instanceof Delete d) {
      d.done().completeExceptionally(e);
    } else if (op instanceof Swap s) {
      s.done().completeExceptionally(e);
    }
  }

  private void finish(Stop stop) {
    try {
      active.writeIndex(active.end());
    } catch (IOException e) {
      LOG.warn("index not written at close; it is rebuilt at the next start [volume: {}]", active.path, e);
    }
    volumes.values().forEach(Volume::close);
    for (Op left; (left = queue.poll()) != null; ) {
      fail(left, new IOException("the volumes in " + dir + " are closed"));
    }
    stop.done().complete(null);
  }

  // ---- compaction

  private void considerCompacting(Volume v) {
    if (v != active && !closed && v.end() > 0
        && (double) v.deadBytes.get() / v.end() >= options.compactDeadShare()) {
      compact(v.id);
    }
  }

  /**
   * Rewrites the volume with its live needles only, unless it is the active one or is being
   * compacted already; completes once reads and writes use the new volume.
   */
  CompletableFuture<Void> compact(long volumeId) {
    Volume old = volumes.get(volumeId);
    if (old == null || closed || !compacting.add(volumeId)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    compactor.execute(() -> {
      try {
        queue.add(copyLive(old, done));
      } catch (IOException | RuntimeException e) {
        LOG.warn("compaction failed [volume: {}]", old.path, e);
        done.completeExceptionally(e);
      }
    });
    return done.whenComplete((v, e) -> compacting.remove(volumeId));
  }

  /** Ids of the volumes that are not being appended to. */
  List<Long> sealedVolumes() {
    return volumes.keySet().stream().filter(id -> id != activeId()).toList();
  }

  private long activeId() {
    Volume a = active;
    return a == null ? -1 : a.id;
  }

  /** Copies the volume's live needles, byte for byte, to a new volume made durable under its name. */
  private Swap copyLive(Volume old, CompletableFuture<Void> done) throws IOException {
    List<Map.Entry<String, Slot>> keep = live.entriesIn(old).stream()
        .sorted(Comparator.comparingLong(e -> e.getValue().offset())).toList();
    long id = nextId.getAndIncrement();
    Path target = Volume.fileOf(dir, id);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    List<Volume.Entry> entries = new ArrayList<>();
    Map<String, Slot> moved = new HashMap<>();
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long at = 0;
      for (Map.Entry<String, Slot> e : keep) {
        Slot s = e.getValue();
        ByteBuffer raw = ByteBuffer.wrap(old.read(s.offset(), s.size()));
        long offset = at;
        while (raw.hasRemaining()) {
          out.write(raw, offset + raw.position());
        }
        entries.add(new Volume.Entry(Needle.LIVE, e.getKey(), offset, s.size(), s.landedAt()));
        at += s.length();
      }
      fsync.force(tmp, out);
    }
    move(tmp, target);
    Volume fresh = Volume.open(dir, id);
    fresh.adopt(entries, fresh.channel.size());
    fresh.writeIndex(fresh.end());
    for (Volume.Entry e : entries) {
      moved.put(e.sha256(), new Slot(fresh, e.offset(), e.size(), e.landedAt()));
    }
    volumes.put(id, fresh);
    syncDirectory();
    return new Swap(old, fresh, moved, done);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private void syncDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some file systems refuse an fsync of a folder; the rename is then as durable as they make it
    }
  }

  /** Finishes what is queued, writes the active volume's index and closes every volume. Blocking. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    compactor.shutdown();
    try {
      compactor.awaitTermination(30, TimeUnit.SECONDS);
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      // no write is taken once the stop is queued: one taken after the appender's last look would wait forever
      closed = true;
      queue.add(new Stop(stopped));
      stopped.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("volumes not closed cleanly [dir: {}]", dir, e);
    }
  }
}
