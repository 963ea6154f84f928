package tributary.bus;

import io.vertx.core.shareddata.Shareable;

/**
 * Management's answer to a registration (E1): the number it gave the node, the address other nodes
 * and clients must use for it and where that came from ({@code pool}, {@code reported} or
 * {@code pool-exhausted}), and the node's grant.
 */
public record Registered(int nodeNumber, String address, String addressSource, EdgeGrant grant)
    implements Shareable {}
