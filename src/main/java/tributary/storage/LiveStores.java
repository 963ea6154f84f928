package tributary.storage;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tributary.placement.StoreLoad;

/**
 * The live storage nodes as last looked up, for placing new copies without a query per request;
 * refreshed on a period by its owner, and at once when fewer are known than a request needs.
 * The look-up is kept in a {@link Snapshot} which the HTTP face's event loops share, so that every
 * loop places by the same scores (each looks up through its own pool, on its own loop). An instance
 * belongs to one event loop.
 */
public final class LiveStores {
  /**
   * How long a look-up that found fewer nodes than a request wants stands before a request looks
   * again: the cluster may simply have fewer nodes than copies, and then not every upload should
   * query, but a node that just came up is found within this time, not at the next period.
   */
  static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The nodes found up, and when the look-up that found them was made ({@link System#nanoTime}). */
  public record Snapshot(List<StoreLoad> stores, long takenAt) {}

  private final Supplier<Future<List<StoreLoad>>> lookUp;
  private final AtomicReference<Snapshot> snapshot;
  private final LongSupplier clock;
  private Future<List<StoreLoad>> looking;

  public LiveStores(StorageNodes nodes, AtomicReference<Snapshot> snapshot) {
    this(nodes::liveStores, snapshot, System::nanoTime);
  }

  LiveStores(Supplier<Future<List<StoreLoad>>> lookUp, AtomicReference<Snapshot> snapshot, LongSupplier clock) {
    this.lookUp = lookUp;
    this.snapshot = snapshot;
    this.clock = clock;
  }

  /** An empty snapshot that any request looks up again, for {@link #LiveStores}. */
  public static AtomicReference<Snapshot> newSnapshot() {
    return new AtomicReference<>(new Snapshot(List.of(), Long.MIN_VALUE));
  }

  /** Looks the live nodes up again; a request made while one look-up is under way shares it. */
  public Future<List<StoreLoad>> refresh() {
    if (looking != null) {
      return looking;
    }
    long started = clock.getAsLong();
    Future<List<StoreLoad>> found = lookUp.get().onSuccess(stores -> snapshot.set(new Snapshot(stores, started)));
    if (!found.isComplete()) {
      looking = found;
      found.onComplete(done -> looking = null);
    }
    return found;
  }

  public List<StoreLoad> current() {
    return snapshot.get().stores();
  }

  /**
   * The live nodes, at least {@code count} of them if so many are up: when fewer are known, they are
   * looked up again unless a look-up made in the last {@link #RECHECK_NANOS} found as few.
   */
  public Future<List<StoreLoad>> atLeast(int count) {
    Snapshot known = snapshot.get();
    if (known.stores().size() >= count
        || looking == null && known.takenAt() != Long.MIN_VALUE && clock.getAsLong() - known.takenAt() < RECHECK_NANOS) {
      return Future.succeededFuture(known.stores());
    }
    return refresh();
  }
}
