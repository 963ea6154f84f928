package tributary.auth;

import java.util.Locale;

/** The authenticated caller of a request. */
public record Principal(String id, Kind kind) {
  public enum Kind {
    ADMIN, USER, EDGE;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.id().equals(s)) {
          return k;
        }
      }
      return null;
    }
  }

  public boolean isAdmin() {
    return kind == Kind.ADMIN;
  }
}
