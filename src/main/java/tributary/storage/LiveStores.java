package tributary.storage;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import tributary.placement.StoreLoad;

/**
 * The live storage nodes as last looked up, for placing new copies without a query per request;
 * refreshed on a period by its owner, and at once when fewer are known than a request needs.
 * The look-up is kept in {@code snapshot}, which the HTTP face's event loops share, so that every
 * loop places by the same scores (each looks up through its own pool, on its own loop).
 */
public final class LiveStores {
  private final StorageNodes nodes;
  private final AtomicReference<List<StoreLoad>> snapshot;

  public LiveStores(StorageNodes nodes, AtomicReference<List<StoreLoad>> snapshot) {
    this.nodes = nodes;
    this.snapshot = snapshot;
  }

  /** An empty snapshot, for {@link #LiveStores}. */
  public static AtomicReference<List<StoreLoad>> newSnapshot() {
    return new AtomicReference<>(List.of());
  }

  public Future<List<StoreLoad>> refresh() {
    return nodes.liveStores().onSuccess(snapshot::set);
  }

  public List<StoreLoad> current() {
    return snapshot.get();
  }

  /** The live nodes; looked up again when fewer than {@code count} are known (a node that just came up). */
  public Future<List<StoreLoad>> atLeast(int count) {
    List<StoreLoad> known = snapshot.get();
    return known.size() >= count ? Future.succeededFuture(known) : refresh();
  }
}
