package tributary.bus;

/** An administrator's new grant for one edge node (E1). */
public record GrantChange(String nodeId, EdgeGrant grant) {}
