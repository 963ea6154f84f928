package tributary.command;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import tributary.cache.CacheKeys;
import tributary.ingest.RecordParser;

/**
 * A command to a node (D9), validated once where it enters: {@code restart} its role verticles,
 * {@code clear-cache} of a scope, {@code reload-config}. Only clear-cache takes arguments.
 */
public record NodeCommand(Kind kind, CacheScope scope) {
  public enum Kind {
    RESTART("restart"), CLEAR_CACHE("clear-cache"), RELOAD_CONFIG("reload-config");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Kind parse(String id) {
      for (Kind kind : values()) {
        if (kind.id.equals(id)) {
          return kind;
        }
      }
      return null;
    }
  }

  /** What clear-cache drops: one channel's stream, one user's dispatch queue, or every key of the cluster's prefix. */
  public record CacheScope(String channel, String user, boolean all) {
    /** The key to drop, or null for all of the prefix. */
    public String key(CacheKeys keys) {
      return channel != null ? keys.channel(channel) : user != null ? keys.userQueue(user) : null;
    }

    public JsonObject toJson() {
      return channel != null ? new JsonObject().put("channel", channel)
          : user != null ? new JsonObject().put("user", user) : new JsonObject().put("all", true);
    }

    public String describe() {
      return channel != null ? "channel '" + channel + "'" : user != null ? "user '" + user + "'" : "all keys";
    }
  }

  public JsonObject args() {
    return scope == null ? new JsonObject() : scope.toJson();
  }

  /** Reads {@code {"command": ..., "args": {...}}}; throws naming the bad field. */
  public static NodeCommand parse(JsonObject body) {
    Object name = body.getValue("command");
    Kind kind = name instanceof String s ? Kind.parse(s) : null;
    if (kind == null) {
      throw new IllegalArgumentException("command must be one of restart, clear-cache, reload-config");
    }
    Object rawArgs = body.getValue("args", new JsonObject());
    if (!(rawArgs instanceof JsonObject args)) {
      throw new IllegalArgumentException("args must be a JSON object");
    }
    for (String field : body.fieldNames()) {
      if (!field.equals("command") && !field.equals("args")) {
        throw new IllegalArgumentException(field + ": unknown field (give command and args)");
      }
    }
    if (kind != Kind.CLEAR_CACHE) {
      if (!args.isEmpty()) {
        throw new IllegalArgumentException("args: " + kind.id() + " takes none");
      }
      return new NodeCommand(kind, null);
    }
    return new NodeCommand(kind, scope(args));
  }

  private static final Set<String> SCOPES = Set.of("channel", "user", "all");

  private static CacheScope scope(JsonObject args) {
    if (args.size() != 1 || !SCOPES.contains(args.fieldNames().iterator().next())) {
      throw new IllegalArgumentException("args: clear-cache takes exactly one of {\"channel\": name}, "
          + "{\"user\": id} or {\"all\": true}");
    }
    if (args.containsKey("all")) {
      if (!Boolean.TRUE.equals(args.getValue("all"))) {
        throw new IllegalArgumentException("args.all must be true");
      }
      return new CacheScope(null, null, true);
    }
    String field = args.containsKey("channel") ? "channel" : "user";
    Object value = args.getValue(field);
    if (!(value instanceof String s) || !RecordParser.validName(s)) {
      throw new IllegalArgumentException("args." + field + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return field.equals("channel") ? new CacheScope(s, null, false) : new CacheScope(null, s, false);
  }
}
