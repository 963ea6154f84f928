package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /v1/routes} (administrators): every route this node serves, as method and path
 * template, read from the router itself, so the list cannot drift from what is mounted. Operators
 * and tools (the bad-input corpus walks the API's, the contract test all of them) learn the
 * surface of a node from it.
 */
public final class RoutesApi implements HttpEndpoint {
  /** Method of a route that takes every method. */
  static final String ANY_METHOD = "*";

  /** A route as served: an HTTP method (or *) and a path template such as {@code /v1/channels/:channel}. */
  public record ApiRoute(String method, String path) {
    /** An API route: one method, one exact path under /v1. */
    boolean api() {
      return !method.equals(ANY_METHOD) && path.startsWith("/v1/") && !path.endsWith("*");
    }
  }

  private JsonObject answer;

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/routes").handler(AuthHandler::requireAdmin).handler(rc -> {
      if (answer == null) {
        answer = new JsonObject().put("routes", list(served(router))).put("otherRoutes", list(others(router)));
      }
      json(rc, 200, answer);
    });
  }

  private static JsonArray list(List<ApiRoute> routes) {
    JsonArray out = new JsonArray();
    routes.forEach(r -> out.add(new JsonObject().put("method", r.method()).put("path", r.path())));
    return out;
  }

  /** The /v1 routes with an exact path and at least one method, sorted by path then method. */
  static List<ApiRoute> served(Router router) {
    return all(router).stream().filter(ApiRoute::api).toList();
  }

  /**
   * Every other route with a path: those outside /v1 (/health, /docs...) and those that take any
   * method (method *) or a path prefix (a path ending in *): the filters in front of /v1, WebJars,
   * webroot. Routes without a path (the request id, deadline, access log and connection limit in
   * front of every request, the failure handler) address nothing of their own and are left out.
   */
  static List<ApiRoute> others(Router router) {
    return all(router).stream().filter(r -> !r.api()).toList();
  }

  private static List<ApiRoute> all(Router router) {
    Set<ApiRoute> out = new TreeSet<>(Comparator.comparing(ApiRoute::path).thenComparing(ApiRoute::method));
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null) {
        continue;
      }
      String path = route.getPath() + (route.isExactPath() ? "" : "*");
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty()) {
        out.add(new ApiRoute(ANY_METHOD, path));
      } else {
        methods.forEach(m -> out.add(new ApiRoute(m.name(), path)));
      }
    }
    return List.copyOf(out);
  }
}
