package tributary.bus;

/** Asks management for the node directory; {@code role} filters when not null. */
public record NodeQuery(String role) {}
