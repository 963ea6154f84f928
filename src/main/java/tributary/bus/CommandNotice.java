package tributary.bus;

/** Tells a node's agent that a command was issued to it (D9), so it fetches now rather than at its next poll. */
public record CommandNotice(long commandId) {}
