package tributary.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tributary.fault.Refusal;
import tributary.ingest.RecordParser;

/** Reads request parameters and bodies; a bad one is a 400 that names it (X7). */
public final class Params {
  private Params() {}

  /** A name (channel, user, data type...): 1-128 of letters, digits, '.', '_', ':' or '-', starting with a letter or digit. */
  public static String name(String value, String what) {
    if (!RecordParser.validName(value)) {
      throw Refusal.badRequest(what + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return value;
  }

  /** A cursor: a non-negative integer; 0 when absent. */
  public static long cursor(String value, String name) {
    if (value == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw Refusal.badRequest(name + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw Refusal.badRequest(name + " must be a cursor (a non-negative integer), got '" + value + "'");
    }
  }

  public static int integer(String value, String name, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw Refusal.badRequest(name + " must be " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException | NullPointerException e) {
      throw Refusal.badRequest(name + " must be an integer " + min + ".." + max + ", got '" + value + "'");
    }
  }

  /** The body as a JSON object. */
  public static JsonObject jsonObject(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body == null) {
        throw Refusal.badRequest("a JSON object body is required");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw Refusal.badRequest("malformed JSON body");
    }
  }
}
