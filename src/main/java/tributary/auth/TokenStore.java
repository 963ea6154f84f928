package tributary.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tributary.fault.Refusal;

/**
 * The bearer tokens of every identity (X3): each has an id, a label, an optional expiry and the
 * time it was last used; only its SHA-256 is kept. A revoked token's row is deleted. An
 * administrator is never left without a token that works: the revocation that would do it is
 * refused.
 */
public final class TokenStore {
  private static final String RESOLVE = "UPDATE tokens t SET last_used_at = CASE WHEN t.expires_at IS NOT NULL "
      + "AND t.expires_at <= $2 THEN t.last_used_at ELSE $2 END FROM users u WHERE t.token_hash = $1 "
      + "AND u.user_id = t.user_id RETURNING u.user_id, u.kind, t.token_id, t.expires_at";

  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  /** What a valid token grants: its holder, its id and its expiry (epoch ms, null = never). */
  public record Grant(Principal principal, String tokenId, Long expiresAt) {
    public boolean expired(long now) {
      return expiresAt != null && expiresAt <= now;
    }
  }

  /** A token as lists show it: never the token itself. */
  public record Info(String tokenId, String label, long createdAt, Long expiresAt, Long lastUsedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("tokenId", tokenId).put("label", label).put("createdAt", iso(createdAt))
          .put("expiresAt", iso(expiresAt)).put("lastUsedAt", iso(lastUsedAt));
    }
  }

  /** A token just made: shown this once, kept only hashed. */
  public record Issued(Info info, String token) {
    public JsonObject toJson() {
      return info.toJson().put("token", token);
    }

    /** A new token of this label, made at {@code now}, expiring after {@code ttlMs} (null = never). */
    public static Issued make(String label, long now, Long ttlMs) {
      return new Issued(new Info(Tokens.newId(), label, now, ttlMs == null ? null : now + ttlMs, null),
          Tokens.generate());
    }

    /** The values of its row: token_id, user_id, token_hash, label, created_at, expires_at. */
    Tuple row(String userId) {
      return Tuple.of(info.tokenId(), userId, Tokens.hash(token), info.label(), info.createdAt(), info.expiresAt());
    }
  }

  /** A time as clients read it (ISO-8601, UTC), or null. */
  static String iso(Long epochMs) {
    return epochMs == null ? null : Instant.ofEpochMilli(epochMs).toString();
  }

  /**
   * What this token grants, or null when no identity holds it; an expired one is answered too
   * (the caller says so). Marks it used now unless it expired.
   */
  public Future<Grant> resolve(String token, long now) {
    return pool.preparedQuery(RESOLVE).execute(Tuple.of(Tokens.hash(token), now)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Grant(new Principal(row.getString(0), Principal.Kind.parse(row.getString(1))), row.getString(2),
          row.getLong(3));
    });
  }

  /** Issues another token to the user; a {@link Refusal} 404 when there is no such user. */
  public Future<Issued> issue(String userId, String label, Long ttlMs, long now) {
    Issued issued = Issued.make(label, now, ttlMs);
    return pool.preparedQuery("INSERT INTO tokens (token_id, user_id, token_hash, label, created_at, expires_at) "
            + "SELECT $1, user_id, $3, $4, $5::bigint, $6::bigint FROM users WHERE user_id = $2")
        .execute(issued.row(userId))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(issued)
            : Future.failedFuture(noSuchUser(userId)));
  }

  /** The user's tokens, oldest first; a {@link Refusal} 404 when there is no such user. */
  public Future<List<Info>> list(String userId) {
    return pool.preparedQuery("SELECT t.token_id, t.label, t.created_at, t.expires_at, t.last_used_at FROM users u "
            + "LEFT JOIN tokens t ON t.user_id = u.user_id WHERE u.user_id = $1 ORDER BY t.created_at, t.token_id")
        .execute(Tuple.of(userId)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(noSuchUser(userId));
          }
          List<Info> out = new ArrayList<>();
          for (Row row : rows) {
            if (row.getString(0) != null) {
              out.add(new Info(row.getString(0), row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
            }
          }
          return Future.succeededFuture(out);
        });
  }

  /**
   * Revokes one of the user's tokens. A {@link Refusal} 404 when the user holds no such token, 409
   * when it is an administrator's last working token.
   */
  public Future<Void> revoke(String userId, String tokenId, long now) {
    return pool.withTransaction(conn -> lockUser(conn, userId).compose(kind -> conn.preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM tokens WHERE user_id = $1 AND token_id = $2), "
                + "EXISTS (SELECT 1 FROM tokens WHERE user_id = $1 AND token_id <> $2 "
                + "AND (expires_at IS NULL OR expires_at > $3))")
        .execute(Tuple.of(userId, tokenId, now)).compose(rows -> {
          Row row = rows.iterator().next();
          if (!row.getBoolean(0)) {
            return Future.failedFuture(Refusal.notFound("user '" + userId + "' holds no token '" + tokenId + "'"));
          }
          if (kind == Principal.Kind.ADMIN && !row.getBoolean(1)) {
            return Future.failedFuture(lastAdminToken(userId));
          }
          return conn.preparedQuery("DELETE FROM tokens WHERE user_id = $1 AND token_id = $2")
              .execute(Tuple.of(userId, tokenId)).<Void>mapEmpty();
        })));
  }

  /**
   * Revokes every token of the user and answers their ids. A {@link Refusal} 404 when there is no
   * such user, 409 for an administrator (who would be locked out).
   */
  public Future<List<String>> revokeAll(String userId) {
    return pool.withTransaction(conn -> lockUser(conn, userId).compose(kind -> kind == Principal.Kind.ADMIN
        ? Future.failedFuture(lastAdminToken(userId))
        : conn.preparedQuery("DELETE FROM tokens WHERE user_id = $1 RETURNING token_id").execute(Tuple.of(userId))
            .map(rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getString(0)));
              return ids;
            })));
  }

  /** Holds the user's row for the transaction, so two revocations cannot both take an administrator's last token. */
  private static Future<Principal.Kind> lockUser(SqlConnection conn, String userId) {
    return conn.preparedQuery("SELECT kind FROM users WHERE user_id = $1 FOR UPDATE").execute(Tuple.of(userId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(noSuchUser(userId))
            : Future.succeededFuture(Principal.Kind.parse(rows.iterator().next().getString(0))));
  }

  private static Refusal noSuchUser(String userId) {
    return Refusal.notFound("no such user: '" + userId + "'");
  }

  private static Refusal lastAdminToken(String userId) {
    return new Refusal(409, "conflict", "'" + userId + "' is an administrator and would be left without a working "
        + "token; issue another token first, then revoke this one");
  }
}
