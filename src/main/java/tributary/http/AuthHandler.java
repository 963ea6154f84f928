package tributary.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import tributary.auth.ExpiringCache;
import tributary.auth.Principal;
import tributary.auth.UserStore;
import tributary.fault.Refusal;

/**
 * The one bearer-token check (X3): every /v1 route passes through it. Resolved tokens are kept a
 * short while so a busy client does not cost a database read per request.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  public static final String PRINCIPAL = "principal";
  private static final long CACHE_MS = 10_000;
  private static final int CACHE_MAX = 10_000;

  private final UserStore users;
  private final ExpiringCache<String, Principal> cache = new ExpiringCache<>(CACHE_MS, CACHE_MAX);

  public AuthHandler(UserStore users) {
    this.users = users;
  }

  public static Principal principal(RoutingContext rc) {
    return rc.get(PRINCIPAL);
  }

  @Override
  public void handle(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    String token = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    if (token == null && rc.request().method() == HttpMethod.GET) {
      // Browsers' EventSource cannot send headers; live streams may carry the token in the query.
      token = rc.queryParams().get("access_token");
    }
    if (token == null || token.isEmpty()) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      rc.fail(new Refusal(401, "unauthorized", "a bearer token is required (Authorization: Bearer ...)"));
      return;
    }
    long now = System.currentTimeMillis();
    Principal known = cache.get(token, now);
    if (known != null) {
      accept(rc, known);
      return;
    }
    String presented = token;
    // The body handler comes after this check, so hold the body back while the token is looked up.
    rc.request().pause();
    users.byToken(presented).onSuccess(principal -> {
      if (principal == null) {
        rc.request().resume();
        rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        rc.fail(new Refusal(401, "unauthorized", "the bearer token is not valid"));
        return;
      }
      cache.put(presented, principal, now);
      accept(rc, principal);
    }).onFailure(e -> {
      rc.request().resume();
      rc.fail(e);
    });
  }

  private static void accept(RoutingContext rc, Principal principal) {
    rc.put(PRINCIPAL, principal);
    rc.next();
  }

  /** Lets only administrators through. */
  public static void requireAdmin(RoutingContext rc) {
    Rights.administrator(principal(rc));
    rc.next();
  }
}
