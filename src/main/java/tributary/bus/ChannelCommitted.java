package tributary.bus;

/** Published after records commit to a channel and reach its cache: the channel's newest cursor. */
public record ChannelCommitted(String channel, long lastCursor) {}
