package tributary.bus;

/** A channel was switched into or out of the Redis cache (issue 15), for every node's cache verticle. */
public record CacheSwitched(String channel, boolean cached) {}
