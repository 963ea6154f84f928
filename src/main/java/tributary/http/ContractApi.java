package tributary.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The API as a machine-readable contract, without a token (like /health): {@code GET
 * /v1/openapi.json}, the OpenAPI 3.1 document assembled from {@code src/main/resources/openapi/}
 * ({@link OpenApiDocument}), and {@code GET /docs}, the Swagger UI page that reads it. The page and
 * its script are in webroot/docs; the UI's own assets come from its WebJar under /webjars, as the
 * console takes uPlot.
 */
public final class ContractApi implements HttpEndpoint {
  /** The page of /docs, on the classpath (webroot/docs/ beside its script). */
  public static final String DOCS_PAGE = "webroot/docs/index.html";

  private final Buffer document;
  private final Buffer docsPage;

  /**
   * @param document the assembled contract, encoded once here
   * @param docsPage the page of /docs, read once
   */
  public ContractApi(JsonObject document, Buffer docsPage) {
    this.document = document.toBuffer();
    this.docsPage = docsPage;
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/v1/openapi.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache").end(document));
    // Answered here, not by the static handler, which would first redirect /docs to /docs/.
    router.get("/docs").handler(rc -> rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache").end(docsPage));
  }
}
