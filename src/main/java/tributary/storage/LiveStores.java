package tributary.storage;

import io.vertx.core.Future;
import java.util.List;
import tributary.placement.StoreLoad;

/**
 * The live storage nodes as last looked up, for placing new copies without a query per request;
 * refreshed on a period by its owner, and at once when fewer are known than a request needs.
 */
public final class LiveStores {
  private final StorageNodes nodes;
  private volatile List<StoreLoad> live = List.of();

  public LiveStores(StorageNodes nodes) {
    this.nodes = nodes;
  }

  public Future<List<StoreLoad>> refresh() {
    return nodes.liveStores().onSuccess(l -> live = l);
  }

  public List<StoreLoad> current() {
    return live;
  }

  /** The live nodes; looked up again when fewer than {@code count} are known (a node that just came up). */
  public Future<List<StoreLoad>> atLeast(int count) {
    return live.size() >= count ? Future.succeededFuture(live) : refresh();
  }
}
