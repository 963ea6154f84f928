package tributary.config;

import java.util.Locale;

/** The jobs a node can be given (SPEC.md, "Roles"). */
public enum Role {
  EDGE, GATEWAY, CORE, CACHE, STORAGE, MANAGEMENT, DISPATCH, CONSOLE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses one role name; null when the name is not a role. */
  public static Role parse(String name) {
    for (Role role : values()) {
      if (role.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    return null;
  }
}
