package tributary.fault;

/**
 * A request refused, by a store, a verticle, a bus consumer or an HTTP handler alike: its kind
 * (an HTTP-like status and an error code) and its message. It names no HTTP type: the one mapper,
 * {@code tributary.http.Failures}, turns it into the JSON answer, or into a bus failure with the
 * same status for a consumer ({@code BusFailures.fail(message, e)}).
 */
public final class Refusal extends RuntimeException {
  private final int status;
  private final String code;

  public Refusal(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** A refusal with the error code its status names. */
  public static Refusal of(int status, String message) {
    return new Refusal(status, codeFor(status), message);
  }

  /** The error code of a status: {@code 404 -> "not_found"}. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 431 -> "headers_too_large";
      case 503 -> "unavailable";
      case BusFailures.OUTCOME_UNKNOWN -> "outcome_unknown";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  public static Refusal badRequest(String message) {
    return new Refusal(400, "bad_request", message);
  }

  public static Refusal notFound(String message) {
    return new Refusal(404, "not_found", message);
  }

  public static Refusal forbidden(String message) {
    return new Refusal(403, "forbidden", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
