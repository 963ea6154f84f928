package tributary.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Predicate;
import tributary.fault.Refusal;
import tributary.ingest.RecordParser;

/**
 * Reads request parameters and bodies; a bad one is a 400 that names it (X7). Every read happens
 * before a request's first asynchronous step, so its refusal takes the request's failure path.
 */
public final class Params {
  private Params() {}

  /** A name (channel, user, data type...): 1-128 of letters, digits, '.', '_', ':' or '-', starting with a letter or digit. */
  private static final java.util.regex.Pattern CONTROL_CHARACTER =
      java.util.regex.Pattern.compile("[\\x00-\\x1f\\x7f]|%(?:[01][0-9A-Fa-f]|7[Ff])");
  private static final java.util.regex.Pattern BROKEN_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

  /**
   * What is wrong with a raw request URI before any route reads it, or null: a percent sign not
   * followed by two hex digits cannot be decoded, and a control character (as a byte or
   * percent-encoded) is in no resource name and cannot even be stored when it is a NUL.
   */
  public static String uriProblem(String rawUri) {
    if (BROKEN_ESCAPE.matcher(rawUri).find()) {
      return "the URL holds a '%' not followed by two hex digits; encode '%' as %25";
    }
    if (CONTROL_CHARACTER.matcher(rawUri).find()) {
      return "the URL holds a control character (%00-%1F or %7F)";
    }
    return null;
  }

  public static String name(String value, String what) {
    if (!RecordParser.validName(value)) {
      throw Refusal.badRequest(what + " must be 1-128 of letters, digits, '.', '_', ':' or '-'");
    }
    return value;
  }

  /** A path parameter that must be a name (see {@link #name}); {@code what} names it in the refusal. */
  public static String pathName(RoutingContext rc, String param, String what) {
    return name(rc.pathParam(param), what);
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

  /** A cursor in the query; {@code fallback} when absent. */
  public static long cursor(RoutingContext rc, String name, long fallback) {
    String value = rc.queryParams().get(name);
    return value == null ? fallback : cursor(value, name);
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

  /** An integer in the query, {@code min..max}; {@code fallback} when absent. */
  public static int integer(RoutingContext rc, String name, int fallback, int min, int max) {
    String value = rc.queryParams().get(name);
    return value == null ? fallback : integer(value, name, min, max);
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

  // ---- fields of a JSON body: a wrong type is a 400 naming the field, never a ClassCastException

  /** A string field; 400 when absent or not a string. */
  public static String string(JsonObject body, String field) {
    String value = string(body, field, null);
    if (value == null) {
      throw Refusal.badRequest(field + " is required (a string)");
    }
    return value;
  }

  /** A string field; {@code fallback} when absent or null. */
  public static String string(JsonObject body, String field, String fallback) {
    return typed(body, field, String.class, fallback, "a string");
  }

  /** A field that must be a name (see {@link #name}); 400 when absent or not one. */
  public static String name(JsonObject body, String field) {
    return name(body.getValue(field) instanceof String s ? s : null, field);
  }

  /** A boolean field; {@code fallback} when absent or null. */
  public static boolean bool(JsonObject body, String field, boolean fallback) {
    return typed(body, field, Boolean.class, fallback, "true or false");
  }

  /** A whole-number field, {@code min..max}; 400 when absent. */
  public static long number(JsonObject body, String field, long min, long max) {
    if (body.getValue(field) == null) {
      throw Refusal.badRequest(field + " is required (a whole number " + min + ".." + max + ")");
    }
    return number(body, field, 0, min, max);
  }

  /** A whole-number field, {@code min..max}; {@code fallback} when absent or null. */
  public static long number(JsonObject body, String field, long fallback, long min, long max) {
    String expected = "a whole number " + min + ".." + max;
    Number n = typed(body, field, Number.class, fallback, expected);
    if (n.doubleValue() != n.longValue() || n.longValue() < min || n.longValue() > max) {
      throw Refusal.badRequest(field + " must be " + expected);
    }
    return n.longValue();
  }

  /** An absolute http(s) URL with a host, at most 2048 characters; null when absent or null. */
  public static String httpUrl(JsonObject body, String field) {
    String value = string(body, field, null);
    if (value == null) {
      return null;
    }
    try {
      java.net.URI uri = new java.net.URI(value);
      if (value.length() <= 2048 && uri.getHost() != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return value;
      }
    } catch (java.net.URISyntaxException e) {
      // answered below
    }
    throw Refusal.badRequest(field + " must be an http or https URL with a host, at most 2048 characters");
  }

  /** A JSON object field; {@code fallback} when absent or null. */
  public static JsonObject object(JsonObject body, String field, JsonObject fallback) {
    return typed(body, field, JsonObject.class, fallback, "a JSON object");
  }

  /** A list of strings; empty when absent or null. */
  public static List<String> stringList(JsonObject body, String field) {
    return list(body, field, "a list of strings", v -> true);
  }

  /** A list of names (see {@link #name}), each checked; empty when absent or null. */
  public static List<String> nameList(JsonObject body, String field, String what) {
    return list(body, field, "a list of " + what, RecordParser::validName);
  }

  private static List<String> list(JsonObject body, String field, String expected, Predicate<String> valid) {
    JsonArray list = typed(body, field, JsonArray.class, new JsonArray(), expected);
    if (!list.stream().allMatch(v -> v instanceof String s && valid.test(s))) {
      throw Refusal.badRequest(field + " must be " + expected);
    }
    return list.stream().map(String.class::cast).toList();
  }

  /** The field as a {@code type}; {@code fallback} when absent or null; 400 "field must be {@code expected}" otherwise. */
  private static <T> T typed(JsonObject body, String field, Class<T> type, T fallback, String expected) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!type.isInstance(value)) {
      throw Refusal.badRequest(field + " must be " + expected);
    }
    return type.cast(value);
  }
}
