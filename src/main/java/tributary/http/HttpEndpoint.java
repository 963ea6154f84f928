package tributary.http;

import io.vertx.ext.web.Router;

/**
 * One family of HTTP routes (Hono's shape): the class owns its routes and their handlers, and the
 * console verticle only builds the router and asks every endpoint to add its routes.
 */
public interface HttpEndpoint {
  void addRoutes(Router router);
}
