package tributary.bus;

/** The new identity and its first bearer token (and its id), which is shown this once and kept only hashed. */
public record UserCreated(String userId, String kind, String token, String tokenId) {}
