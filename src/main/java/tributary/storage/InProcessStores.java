package tributary.storage;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Optional;

/**
 * The storage nodes that this Vert.x instance hosts, by id (S1). A copy bound for one of them is
 * written straight into its store, and a read of one is streamed straight from it: the same sink,
 * stream and checks as its transfer server, without the loopback HTTP exchange. Another
 * instance's nodes, in this JVM or not, are reached over HTTP.
 */
public final class InProcessStores {
  private static final String MAP = "tributary.in-process-stores";

  private InProcessStores() {}

  /** A node of this instance, with where its bad copies are reported. */
  public record Hosted(StorageNode node, BadCopies badCopies) implements Shareable {}

  private static LocalMap<String, Hosted> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** Offers the nodes to uploads of this instance; from the time their transfer server listens. */
  public static void add(Vertx vertx, List<StorageNode> nodes, BadCopies badCopies) {
    nodes.forEach(n -> map(vertx).put(n.id(), new Hosted(n, badCopies)));
  }

  /** Withdraws the nodes, when their transfer server closes. */
  public static void remove(Vertx vertx, List<StorageNode> nodes) {
    nodes.forEach(n -> map(vertx).remove(n.id()));
  }

  public static Optional<Hosted> find(Vertx vertx, String storeId) {
    return Optional.ofNullable(map(vertx).get(storeId));
  }
}
