package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tributary.auth.ExpiringCache;
import tributary.auth.Principal;
import tributary.auth.TokenStore;
import tributary.auth.Tokens;
import tributary.bus.Addresses;
import tributary.bus.TokensRevoked;
import tributary.fault.Refusal;

/**
 * The one bearer-token check (X3): every /v1 route passes through it. Resolved tokens are kept a
 * short while, by their hash, so a busy client does not cost a database read per request; a
 * revocation published on {@link Addresses#TOKENS_REVOKED} drops them from every node's cache at
 * once, and {@link #CACHE_MS} bounds how long a node that missed the publish may still accept one.
 * Expiry is checked on every request, cached or not.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  public static final String PRINCIPAL = "principal";
  /** The token the request presented: its id and expiry, beside its holder. */
  public static final String GRANT = "grant";
  /** Set on a request that presented the cluster's own credential (see {@code NodePlans}); it has no principal. */
  public static final String CLUSTER_MEMBER = "clusterMember";
  /** Longest a node trusts a token it looked up; only matters for a revocation whose publish it missed. */
  public static final long CACHE_MS = 5_000;
  private static final int CACHE_MAX = 10_000;
  /** Browsers' EventSource cannot send headers, so live streams (and only they) take the token in the query. */
  static final String QUERY_TOKEN = "access_token";

  private final TokenStore tokens;
  private final ExpiringCache<String, TokenStore.Grant> cache = new ExpiringCache<>(CACHE_MS, CACHE_MAX);
  /** Counts revocations heard, so a look-up that raced one is not kept. */
  private final AtomicLong revocations = new AtomicLong();

  public AuthHandler(TokenStore tokens) {
    this.tokens = tokens;
  }

  /** Listens for revocations from any node (including this one). */
  public Future<Void> listen(EventBus bus) {
    return bus.<TokensRevoked>consumer(Addresses.TOKENS_REVOKED, m -> forget(m.body())).completion();
  }

  /** Drops revoked tokens from this node's cache. */
  public void forget(TokensRevoked revoked) {
    revocations.incrementAndGet();
    Set<String> ids = new HashSet<>(revoked.tokenIds());
    cache.removeValuesIf(grant -> ids.contains(grant.tokenId()));
  }

  public static Principal principal(RoutingContext rc) {
    return rc.get(PRINCIPAL);
  }

  public static TokenStore.Grant grant(RoutingContext rc) {
    return rc.get(GRANT);
  }

  /** Whether the request presented the cluster's own credential rather than a bearer token. */
  public static boolean clusterMember(RoutingContext rc) {
    return Boolean.TRUE.equals(rc.get(CLUSTER_MEMBER));
  }

  /**
   * The live (SSE) streams: a channel's, the edge results' and a user's queue. Named here rather than
   * by a path ending, since a channel or a task may itself be called "stream"; a new stream route
   * is added here.
   */
  static final Pattern STREAM_ROUTES = Pattern.compile("/v1/(channels/[^/]+|edge/results|users/[^/]+/data)/stream");

  /** Whether the request is for a live stream, the only kind that takes {@code ?access_token=}. */
  static boolean isStream(HttpMethod method, String path) {
    return method == HttpMethod.GET && STREAM_ROUTES.matcher(path).matches();
  }

  @Override
  public void handle(RoutingContext rc) {
    if (clusterMember(rc)) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader("Authorization");
    String token = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    String queryToken = rc.queryParams().get(QUERY_TOKEN);
    if (queryToken != null && !isStream(rc.request().method(), rc.normalizedPath())) {
      // A token in a URL ends up in proxies' logs and browser history; only EventSource needs it.
      refuse(rc, "Bearer", new Refusal(401, "unauthorized", "?" + QUERY_TOKEN
          + "= is accepted only on live /stream routes; send the token in the Authorization header (Bearer ...)"));
      return;
    }
    if (token == null) {
      token = queryToken;
    }
    if (token == null || token.isEmpty()) {
      refuse(rc, "Bearer", new Refusal(401, "unauthorized",
          "a bearer token is required (Authorization: Bearer ...)"));
      return;
    }
    long now = System.currentTimeMillis();
    String hash = Tokens.hash(token);
    TokenStore.Grant known = cache.get(hash, now);
    if (known != null) {
      accept(rc, known, now);
      return;
    }
    long heard = revocations.get();
    // The body handler comes after this check, so hold the body back while the token is looked up.
    rc.request().pause();
    tokens.resolve(token, now).onSuccess(grant -> {
      if (grant == null || grant.expired(now)) {
        rc.request().resume();
      }
      if (grant == null) {
        refuse(rc, "Bearer error=\"invalid_token\"", new Refusal(401, "unauthorized",
            "the bearer token is not valid (unknown or revoked)"));
        return;
      }
      if (revocations.get() == heard) {
        cache.put(hash, grant, now);
      }
      accept(rc, grant, now);
    }).onFailure(e -> {
      rc.request().resume();
      rc.fail(e);
    });
  }

  private static void accept(RoutingContext rc, TokenStore.Grant grant, long now) {
    if (grant.expired(now)) {
      refuse(rc, "Bearer error=\"invalid_token\"", new Refusal(401, "token_expired",
          "the bearer token (" + grant.tokenId() + ") expired at " + java.time.Instant.ofEpochMilli(grant.expiresAt())
              + "; ask for a new one (POST /v1/users/" + grant.principal().id() + "/tokens with a token that works)"));
      return;
    }
    rc.put(PRINCIPAL, grant.principal());
    rc.put(GRANT, grant);
    rc.next();
  }

  private static void refuse(RoutingContext rc, String challenge, Refusal refusal) {
    rc.response().putHeader("WWW-Authenticate", challenge);
    rc.fail(refusal);
  }

  /** Lets only administrators through. */
  public static void requireAdmin(RoutingContext rc) {
    Rights.administrator(principal(rc));
    rc.next();
  }

  /** Lets through the user named by the path parameter {@code userId} and administrators. */
  public static void requireSelfOrAdmin(RoutingContext rc) {
    Principal p = principal(rc);
    String userId = rc.pathParam("userId");
    if (p == null || !(p.isAdmin() || p.id().equals(userId))) {
      rc.fail(Refusal.forbidden("only '" + userId + "' or an administrator may do this"));
      return;
    }
    rc.next();
  }
}
