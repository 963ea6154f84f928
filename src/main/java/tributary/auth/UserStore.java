package tributary.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Users, edges and administrators, each made with its first token (see {@link TokenStore}). */
public final class UserStore {
  public static final String ADMIN_ID = "admin";

  /** The identity and its first token in one statement; parameters as {@link TokenStore.Issued#row} and the kind. */
  private static final String CREATE_WITH_TOKEN = "WITH made AS (INSERT INTO users (user_id, kind, created_at) "
      + "VALUES ($2, $7, $5) %s RETURNING user_id) INSERT INTO tokens (token_id, user_id, token_hash, label, "
      + "created_at, expires_at) SELECT $1, user_id, $3, $4, $5::bigint, $6::bigint FROM made";

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  /** Installs the administrator with this token unless one exists; true when it was installed now. */
  public Future<Boolean> installAdmin(String token, long now) {
    TokenStore.Issued issued = new TokenStore.Issued(new TokenStore.Info(Tokens.newId(), "install", now, null, null),
        token);
    return pool.preparedQuery(CREATE_WITH_TOKEN.formatted("ON CONFLICT (user_id) DO NOTHING"))
        .execute(issued.row(ADMIN_ID).addString(Principal.Kind.ADMIN.id()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Whether this token is one of the administrator's (its hash is among theirs). */
  public Future<Boolean> adminHolds(String token) {
    return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM tokens WHERE user_id = $1 AND token_hash = $2)")
        .execute(Tuple.of(ADMIN_ID, Tokens.hash(token))).map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * A lost administrator token replaced (run by {@code tributary admin reset-token}, not by a node):
   * every token of the administrator is deleted and a new one made, in one transaction; the
   * administrator is installed if it is missing. The new token is shown this once.
   */
  public Future<TokenStore.Issued> resetAdmin(long now) {
    TokenStore.Issued issued = TokenStore.Issued.make("reset", now, null);
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO users (user_id, kind, created_at) "
            + "VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING")
        .execute(Tuple.of(ADMIN_ID, Principal.Kind.ADMIN.id(), now))
        .compose(v -> conn.preparedQuery("DELETE FROM tokens WHERE user_id = $1").execute(Tuple.of(ADMIN_ID)))
        .compose(v -> conn.preparedQuery("INSERT INTO tokens (token_id, user_id, token_hash, label, created_at, "
            + "expires_at) VALUES ($1, $2, $3, $4, $5, $6)").execute(issued.row(ADMIN_ID))))
        .map(issued);
  }

  /** Creates an identity with its first token; fails with {@link DuplicateException} if the id is taken. */
  public Future<TokenStore.Issued> create(String userId, Principal.Kind kind, long now) {
    TokenStore.Issued issued = TokenStore.Issued.make("initial", now, null);
    return pool.preparedQuery(CREATE_WITH_TOKEN.formatted(""))
        .execute(issued.row(userId).addString(kind.id()))
        .recover(e -> Future.failedFuture(tributary.fault.DatabaseFailures.uniqueViolation(e)
            ? new DuplicateException("user '" + userId + "' exists")
            : e))
        .map(issued);
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
