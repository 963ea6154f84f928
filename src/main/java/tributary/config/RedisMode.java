package tributary.config;

import java.util.Locale;

/** How the node reaches Redis: one server, a Redis Cluster, or the master a set of Sentinels names. */
public enum RedisMode {
  STANDALONE, CLUSTER, SENTINEL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses one mode name; null when the name is not a mode. */
  public static RedisMode parse(String name) {
    for (RedisMode mode : values()) {
      if (mode.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    return null;
  }
}
