package tributary.dispatch;

/**
 * A worker's view of the topology: refreshed on a period and on every change notice, and kept only
 * if newer than what it holds, so a slow answer that crossed a newer one cannot undo it.
 */
public final class TopologyView {
  private Topology current = Topology.EMPTY;

  /** Keeps {@code offered} if its version is newer; true when it did. */
  public synchronized boolean offer(Topology offered) {
    if (offered.version() <= current.version()) {
      return false;
    }
    current = offered;
    return true;
  }

  public synchronized Topology current() {
    return current;
  }
}
