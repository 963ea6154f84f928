package tributary.dispatch;

/**
 * A user's dispatch queue (D5) is a channel of its own, {@code _user.{id}}: dense cursors per
 * user, a Redis stream backed by PostgreSQL, cursor reads and SSE with resume, as every channel
 * has. No client can post to it or name it in a channel route (channel names start with a letter
 * or digit); only its user and administrators read it.
 */
public final class UserQueues {
  private static final String PREFIX = "_user.";

  private UserQueues() {}

  public static String channel(String userId) {
    return PREFIX + userId;
  }

  public static boolean isUserQueue(String channel) {
    return channel.startsWith(PREFIX);
  }
}
