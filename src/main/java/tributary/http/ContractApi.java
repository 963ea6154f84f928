package tributary.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The API as a machine-readable contract, without a token (like /health): {@code GET
 * /v1/openapi.json}, the OpenAPI 3.1 document assembled from {@code src/main/resources/openapi/}
 * ({@link OpenApiDocument}), and {@code GET /docs}, the Swagger UI page (webroot/docs, with the UI's
 * assets from its WebJar under /webjars, as the console takes uPlot) that reads it.
 */
public final class ContractApi implements HttpEndpoint {
  private final String document;

  /** @param document the assembled contract, encoded once */
  public ContractApi(JsonObject document) {
    this.document = document.encode();
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/openapi.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache").end(document));
    router.get("/docs").handler(rc -> rc.reroute("/docs/index.html"));
  }
}
