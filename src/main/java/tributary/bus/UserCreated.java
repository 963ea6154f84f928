package tributary.bus;

/** The new identity and its bearer token, which is shown this once and kept only hashed. */
public record UserCreated(String userId, String kind, String token) {}
