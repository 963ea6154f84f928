package tributary.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The plain-HTTP port of a node that speaks HTTPS (X3): every request is sent to the same path on
 * the HTTPS port, GET and HEAD with 301, any other method with 308 so that it is repeated as it
 * was. Nothing else is served there.
 */
public final class HttpsRedirect implements Handler<HttpServerRequest> {
  private final int httpsPort;

  public HttpsRedirect(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String host = request.authority() == null ? null : request.authority().host();
    request.response().setStatusCode(status(request.method())).putHeader("Location", location(host, request.uri(),
        httpsPort)).putHeader("Content-Length", "0").end();
  }

  static int status(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? 301 : 308;
  }

  /** The HTTPS address of a request made to {@code host} (no port; null = unknown) for {@code uri}. */
  static String location(String host, String uri, int httpsPort) {
    String name = host == null || host.isBlank() ? "localhost" : host;
    if (name.contains(":") && !name.startsWith("[")) {
      name = "[" + name + "]";
    }
    String path = uri == null || !uri.startsWith("/") ? "/" : uri;
    return "https://" + name + (httpsPort == 443 ? "" : ":" + httpsPort) + path;
  }
}
