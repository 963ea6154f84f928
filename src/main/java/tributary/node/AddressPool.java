package tributary.node;

import java.util.List;
import java.util.Set;

/**
 * E1: the address management gives a registering node, the one other nodes and clients must use.
 * With a configured pool, a node keeps the pool address it was given once; a node without one takes
 * the first address no other node holds. Without a pool, or with every pool address taken, the node
 * is reached at the address it reports.
 */
public record AddressPool(List<String> addresses) {
  public AddressPool {
    addresses = List.copyOf(addresses);
  }

  /** Where an assigned address came from. */
  public enum Source {
    POOL, REPORTED, POOL_EXHAUSTED;

    public String id() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  /** The address a node is to be reached at, and whether the pool gave it. */
  public record Assignment(String address, Source source) {}

  public boolean configured() {
    return !addresses.isEmpty();
  }

  /** Whether {@code held} (the node's stored pool address, or null) must be (re)chosen from the pool. */
  public boolean needsChoice(String held) {
    return configured() && (held == null || !addresses.contains(held));
  }

  /**
   * The node's address: {@code held} when it is still in the pool, else the first pool address that
   * is not in {@code takenByOthers}, else {@code reported}.
   */
  public Assignment assign(String held, Set<String> takenByOthers, String reported) {
    if (!configured()) {
      return new Assignment(reported, Source.REPORTED);
    }
    if (!needsChoice(held)) {
      return new Assignment(held, Source.POOL);
    }
    for (String address : addresses) {
      if (!takenByOthers.contains(address)) {
        return new Assignment(address, Source.POOL);
      }
    }
    return new Assignment(reported, Source.POOL_EXHAUSTED);
  }
}
