package tributary.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tributary.ingest.RecordParser;

/**
 * Request parameters read at the start of a handler, where a bad one fails the request with a
 * JSON 400 that names it (X7).
 */
public final class Params {
  private Params() {}

  /** The query parameter as a whole number in [min, max], or {@code fallback} when absent. */
  public static long longParam(RoutingContext rc, String name, long fallback, long min, long max) {
    String value = rc.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw HttpError.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  /** A path parameter or field that must be a name (letters, digits, '.', '_', ':' or '-'). */
  public static String name(String value, String what) {
    if (!RecordParser.validName(value)) {
      throw HttpError.badRequest(what + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return value;
  }

  /** The body as a JSON object. */
  public static JsonObject bodyObject(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body == null) {
        throw HttpError.badRequest("a JSON object body is required");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw HttpError.badRequest("malformed JSON body");
    }
  }
}
