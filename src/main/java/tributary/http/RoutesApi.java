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
 * {@code GET /v1/routes} (administrators): every API route this node serves, as method and path
 * template, read from the router itself, so the list cannot drift from what is mounted. Operators
 * and tools (the bad-input corpus walks it) learn the API surface of a node from it.
 */
public final class RoutesApi implements HttpEndpoint {
  /** A route as served: an HTTP method and a path template such as {@code /v1/channels/:channel}. */
  public record ApiRoute(String method, String path) {}

  private List<ApiRoute> routes = List.of();

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/routes").handler(AuthHandler::requireAdmin).handler(rc -> {
      if (routes.isEmpty()) {
        routes = served(router);
      }
      JsonArray out = new JsonArray();
      routes.forEach(r -> out.add(new JsonObject().put("method", r.method()).put("path", r.path())));
      json(rc, 200, new JsonObject().put("routes", out));
    });
  }

  /** The /v1 routes with a path and at least one method, sorted by path then method. */
  static List<ApiRoute> served(Router router) {
    Set<ApiRoute> out = new TreeSet<>(Comparator.comparing(ApiRoute::path).thenComparing(ApiRoute::method));
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      Set<HttpMethod> methods = route.methods();
      if (path == null || !path.startsWith("/v1/") || path.endsWith("*") || methods == null) {
        continue;
      }
      methods.forEach(m -> out.add(new ApiRoute(m.name(), path)));
    }
    return List.copyOf(out);
  }
}
