package tributary.bus;

/** An administrator's request for a new user or edge identity. */
public record UserCreate(String userId, String kind) {}
