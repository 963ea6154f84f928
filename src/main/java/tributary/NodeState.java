package tributary;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import tributary.bus.EdgeGrant;

/** What verticles of one node share: the grant management gave this node at registration (E1). */
public final class NodeState {
  private static final String MAP = "tributary.node";
  private static final String GRANT = "grant";

  private NodeState() {}

  private static LocalMap<String, EdgeGrant> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** Keeps {@code grant} unless the node already holds a newer revision. */
  public static void setGrant(Vertx vertx, EdgeGrant grant) {
    map(vertx).merge(GRANT, grant, (held, offered) -> held.revision() > offered.revision() ? held : offered);
  }

  /** The current grant, or null before the first successful registration; read on every ingest. */
  public static EdgeGrant grant(Vertx vertx) {
    return map(vertx).get(GRANT);
  }
}
