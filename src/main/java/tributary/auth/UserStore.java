package tributary.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Users, edges and administrators with the hashes of their tokens. */
public final class UserStore {
  public static final String ADMIN_ID = "admin";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  /** Installs the administrator with this token unless one exists; true when it was installed now. */
  public Future<Boolean> installAdmin(String token, long now) {
    return pool.preparedQuery("INSERT INTO users (user_id, kind, token_hash, created_at) VALUES ($1, 'admin', $2, $3) "
            + "ON CONFLICT (user_id) DO NOTHING")
        .execute(Tuple.of(ADMIN_ID, Tokens.hash(token), now))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Creates an identity and returns its token; fails with {@link DuplicateException} if the id is taken. */
  public Future<String> create(String userId, Principal.Kind kind, long now) {
    String token = Tokens.generate();
    return pool.preparedQuery("INSERT INTO users (user_id, kind, token_hash, created_at) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(userId, kind.id(), Tokens.hash(token), now))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? new DuplicateException("user '" + userId + "' exists")
            : e))
        .map(token);
  }

  /** The identity a token belongs to, or null. */
  public Future<Principal> byToken(String token) {
    return pool.preparedQuery("SELECT user_id, kind FROM users WHERE token_hash = $1")
        .execute(Tuple.of(Tokens.hash(token)))
        .map(rows -> rows.size() == 0
            ? null
            : new Principal(rows.iterator().next().getString(0),
                Principal.Kind.parse(rows.iterator().next().getString(1))));
  }

  /** Every identity (never a token or its hash), by id: {@code {"userId", "kind", "createdAt"}}. */
  public Future<List<JsonObject>> list() {
    return pool.query("SELECT user_id, kind, created_at FROM users ORDER BY user_id").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(new JsonObject().put("userId", r.getString(0))
              .put("kind", r.getString(1)).put("createdAt", r.getLong(2))));
          return out;
        });
  }

  /** Raised when an id is already taken. */
  public static final class DuplicateException extends RuntimeException {
    public DuplicateException(String message) {
      super(message, null, false, false);
    }
  }
}
