package tributary.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicLong;
import tributary.config.StorageConfig;
import tributary.placement.PendingWork;
import tributary.placement.StoreLoad;
import tributary.status.LoadProbe;

/**
 * One storage node of this process: its local blob store, its scrub rate, and the bytes it moved
 * since its last heartbeat, which the heartbeat turns into rates (S4).
 */
public final class StorageNode {
  private final String id;
  private final LocalBlobStore disk;
  private final RateLimit scrubLimit;
  private final AtomicLong diskBytes = new AtomicLong();
  private final AtomicLong netBytes = new AtomicLong();
  private final AtomicLong incomingBytes = new AtomicLong();
  private long lastBeatNanos;
  private long bestDiskBytesPerSecond;
  private long bestNetBytesPerSecond;

  public StorageNode(String id, LocalBlobStore disk, RateLimit scrubLimit, long nowNanos) {
    this.id = id;
    this.disk = disk;
    this.scrubLimit = scrubLimit;
    this.lastBeatNanos = nowNanos;
  }

  /** The node's id: the process's node id when it runs one storage node, else {@code <node>-s<i>}. */
  public static String idOf(String processNodeId, int index, int nodesInProcess) {
    return nodesInProcess == 1 ? processNodeId : processNodeId + "-s" + index;
  }

  public String id() {
    return id;
  }

  public LocalBlobStore disk() {
    return disk;
  }

  public RateLimit scrubLimit() {
    return scrubLimit;
  }

  /** Bytes read from or written to disk and sent or received, counted once each. */
  public void moved(long bytes) {
    diskBytes.addAndGet(bytes);
    netBytes.addAndGet(bytes);
  }

  /** Bytes announced by an upload still coming in (negative once it ended). */
  public void incoming(long bytes) {
    incomingBytes.addAndGet(bytes);
  }

  public long incomingBytes() {
    return incomingBytes.get();
  }

  /** Disk and network bytes per second since the last call, which starts the next period. */
  public synchronized Rates takeRates(long nowNanos) {
    double seconds = Math.max(0.001, (nowNanos - lastBeatNanos) / 1e9);
    lastBeatNanos = nowNanos;
    Rates rates = new Rates((long) (diskBytes.getAndSet(0) / seconds), (long) (netBytes.getAndSet(0) / seconds));
    bestDiskBytesPerSecond = Math.max(bestDiskBytesPerSecond, rates.diskBytesPerSecond());
    bestNetBytesPerSecond = Math.max(bestNetBytesPerSecond, rates.netBytesPerSecond());
    return rates;
  }

  /**
   * What the node's heartbeat reports (S2, S4): the machine's CPU and physical memory in use with
   * their capacities, the node's disk and network rates since the last heartbeat against their
   * capacities (the most it achieved, or the configured figure when that is more), the bytes still
   * to come (task items planned for it and uploads under way) with their weighed work, and the free
   * space of its disk. Blocking.
   */
  public StoreLoad describe(String hostNode, String site, String url, StorageConfig storage, Pending pending,
      long nowNanos) throws IOException {
    Rates rates = takeRates(nowNanos);
    long free = Files.getFileStore(disk.root()).getUsableSpace();
    double bitrate = storage.loadScore().bitrate().standard;
    PendingWork pendingWork = pending.work().add(PendingWork.Part.MIRROR, incomingBytes.get());
    return new StoreLoad(id, hostNode, site, url, LoadProbe.cpuLoad(), LoadProbe.memoryShare(),
        rates.diskBytesPerSecond(), rates.netBytesPerSecond(),
        Math.max(storage.diskBytesPerSecond(), bestDiskBytesPerSecond),
        Math.max(storage.netBytesPerSecond(), bestNetBytesPerSecond), pending.bytes() + incomingBytes.get(), free,
        LoadProbe.cpuCapacity(), LoadProbe.totalMemoryBytes(), pendingWork.weighed(bitrate), pendingWork.videoHours(),
        pendingWork.audioHours());
  }

  /** Task items waiting for or running on a node: their bytes, and the same by the seed's terms. */
  public record Pending(long bytes, PendingWork work) {}

  public record Rates(long diskBytesPerSecond, long netBytesPerSecond) {}
}
