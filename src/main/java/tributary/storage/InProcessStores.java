package tributary.storage;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Optional;

/**
 * The storage nodes that this Vert.x instance hosts, by id (S1). A copy bound for one of them is
 * written straight into its store: the same sink and checks as its transfer server, without the
 * loopback HTTP exchange. Another instance's nodes, in this JVM or not, are reached over HTTP.
 */
public final class InProcessStores {
  private static final String MAP = "tributary.in-process-stores";

  private InProcessStores() {}

  private record Held(StorageNode node) implements Shareable {}

  private static LocalMap<String, Held> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** Offers the nodes to uploads of this instance; from the time their transfer server listens. */
  public static void add(Vertx vertx, List<StorageNode> nodes) {
    nodes.forEach(n -> map(vertx).put(n.id(), new Held(n)));
  }

  /** Withdraws the nodes, when their transfer server closes. */
  public static void remove(Vertx vertx, List<StorageNode> nodes) {
    nodes.forEach(n -> map(vertx).remove(n.id()));
  }

  public static Optional<StorageNode> find(Vertx vertx, String storeId) {
    return Optional.ofNullable(map(vertx).get(storeId)).map(Held::node);
  }
}
