package tributary.processing;

import tributary.dispatch.UserQueues;

/**
 * Where results go (E6): the input channel's result channel, readable like any channel, and the
 * feed of the edge that sent the input, served at /v1/edge/results. Both are written only by core.
 */
public final class ResultChannels {
  public static final String RESULTS_SUFFIX = ".results";
  private static final String EDGE_FEED_PREFIX = "_edge.";

  private ResultChannels() {}

  public static String results(String channel) {
    return channel + RESULTS_SUFFIX;
  }

  public static String edgeFeed(String edgeNodeId) {
    return EDGE_FEED_PREFIX + edgeNodeId;
  }

  /** The input channel whose results {@code channel} holds, or null when it is no result channel. */
  public static String inputOf(String channel) {
    return channel.endsWith(RESULTS_SUFFIX) ? channel.substring(0, channel.length() - RESULTS_SUFFIX.length()) : null;
  }

  public static boolean isEdgeFeed(String channel) {
    return channel.startsWith(EDGE_FEED_PREFIX);
  }

  /** True for channels that clients may read but never post to. */
  public static boolean isSystemChannel(String channel) {
    return channel.endsWith(RESULTS_SUFFIX) || isEdgeFeed(channel) || UserQueues.isUserQueue(channel);
  }
}
