package tributary.http;

/** A request that must end with this status and error code; the failure handler writes it. */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, "bad_request", message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, "not_found", message);
  }

  public static HttpError forbidden(String message) {
    return new HttpError(403, "forbidden", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
