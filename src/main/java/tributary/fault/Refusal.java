package tributary.fault;

/**
 * A request refused, by a store, a verticle, a bus consumer or an HTTP handler alike: its kind
 * (an HTTP-like status and an error code) and its message. It names no HTTP type: the one mapper,
 * {@code tributary.http.Failures}, turns it into the JSON answer, or into a bus failure with the
 * same status for a consumer ({@code Failures.fail(message, e)}).
 */
public final class Refusal extends RuntimeException {
  private final int status;
  private final String code;

  public Refusal(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
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
