package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.TokenStore;
import tributary.bus.Addresses;
import tributary.bus.TokensRevoked;
import tributary.fault.Refusal;

/**
 * The token lifecycle (X3): a user (or an administrator for them) issues more tokens, each with an
 * optional expiry and label, lists them (never the tokens themselves) and revokes one; an
 * administrator revokes all of a user's tokens. A revocation is published to every node, whose
 * auth cache forgets the tokens at once.
 */
public final class TokensApi implements HttpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(TokensApi.class);
  /** Longest lifetime a token may be given: ten years. */
  static final long MAX_TTL_SECONDS = 10L * 366 * 24 * 3600;
  static final int MAX_LABEL_CHARS = 100;

  private final Vertx vertx;
  private final TokenStore tokens;

  public TokensApi(Vertx vertx, TokenStore tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
  }

  @Override
  public void addRoutes(Router router) {
    router.post("/v1/users/:userId/tokens").handler(AuthHandler::requireSelfOrAdmin).handler(this::issue);
    router.get("/v1/users/:userId/tokens").handler(AuthHandler::requireSelfOrAdmin).handler(this::list);
    router.delete("/v1/users/:userId/tokens/:tokenId").handler(AuthHandler::requireSelfOrAdmin).handler(this::revoke);
    router.delete("/v1/users/:userId/tokens").handler(AuthHandler::requireAdmin).handler(this::revokeAll);
  }

  private void issue(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    JsonObject body = rc.body() == null || rc.body().isEmpty() ? new JsonObject() : Params.jsonObject(rc);
    Long ttlMs = body.getValue("ttlSeconds") == null ? null
        : Params.number(body, "ttlSeconds", 1, MAX_TTL_SECONDS) * 1000;
    String label = label(Params.string(body, "label", null));
    long now = System.currentTimeMillis();
    if (!AuthHandler.principal(rc).isAdmin()) {
      ttlMs = withinOwnExpiry(ttlMs, AuthHandler.grant(rc).expiresAt(), now);
    }
    Guarded.then(rc, tokens.issue(userId, label, ttlMs, now), issued -> {
      LOG.info("token issued [user: {}, token: {}, by: {}, expires: {}]", userId, issued.info().tokenId(),
          AuthHandler.principal(rc).id(), issued.info().expiresAt());
      json(rc, 201, issued.toJson().put("userId", userId));
    });
  }

  /**
   * A user's token may not outlive the token that asks for it, or an expiring token would mint a
   * lasting one: with no lifetime asked, the new token expires with it; a longer one is refused.
   */
  static Long withinOwnExpiry(Long ttlMs, Long callerExpiresAt, long now) {
    if (callerExpiresAt == null) {
      return ttlMs;
    }
    long left = callerExpiresAt - now;
    if (ttlMs == null) {
      return Math.max(1, left);
    }
    if (ttlMs > left) {
      throw Refusal.badRequest("ttlSeconds: the new token may not outlive the token that asks for it, which expires at "
          + java.time.Instant.ofEpochMilli(callerExpiresAt) + " (" + Math.max(0, left / 1000) + " s from now)");
    }
    return ttlMs;
  }

  static String label(String label) {
    if (label != null && (label.length() > MAX_LABEL_CHARS || label.chars().anyMatch(Character::isISOControl))) {
      throw Refusal.badRequest("label must be at most " + MAX_LABEL_CHARS + " characters, none of them control characters");
    }
    return label;
  }

  private void list(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    String presented = AuthHandler.grant(rc).tokenId();
    Guarded.then(rc, tokens.list(userId), all -> json(rc, 200, new JsonObject().put("userId", userId)
        .put("tokens", new JsonArray(all.stream().map(t -> t.toJson().put("current", t.tokenId().equals(presented)))
            .toList()))));
  }

  private void revoke(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    String tokenId = Params.pathName(rc, "tokenId", "token id");
    Guarded.then(rc, tokens.revoke(userId, tokenId, System.currentTimeMillis()),
        v -> revoked(rc, userId, List.of(tokenId)));
  }

  private void revokeAll(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    Guarded.then(rc, tokens.revokeAll(userId), ids -> revoked(rc, userId, ids));
  }

  private void revoked(RoutingContext rc, String userId, List<String> tokenIds) {
    LOG.info("tokens revoked [user: {}, tokens: {}, by: {}]", userId, tokenIds, AuthHandler.principal(rc).id());
    vertx.eventBus().publish(Addresses.TOKENS_REVOKED, new TokensRevoked(userId, tokenIds));
    json(rc, 200, new JsonObject().put("userId", userId).put("revoked", new JsonArray(tokenIds)));
  }
}
