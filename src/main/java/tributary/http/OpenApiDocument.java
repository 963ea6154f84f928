package tributary.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API contract (OpenAPI 3.1) assembled from its parts: a base document ({@code openapi.yaml}:
 * info, security, the shared components such as the error body) and one part per API class of the
 * HTTP face, each holding that class's {@code paths} and any {@code components} and {@code tags} of
 * its own. Parts are merged operation by operation, since two classes may serve one path (ingest
 * posts to the path whose GET the channel reads serve); an operation or a component defined twice
 * is an error, so a part can never silently replace another's. A new API class adds its file here.
 */
public final class OpenApiDocument {
  /** The base document, then one part per API class, under {@link #FOLDER} on the classpath. */
  public static final List<String> PARTS = List.of("openapi.yaml", "ops.yaml", "contract.yaml", "routes.yaml",
      "ingest.yaml", "channels.yaml", "records.yaml", "provenance.yaml", "dispatch.yaml", "admin.yaml", "tokens.yaml",
      "nodes.yaml", "sinks.yaml", "blobs.yaml");
  public static final String FOLDER = "openapi/";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private OpenApiDocument() {}

  /** The whole document from the classpath (blocking: call it off the event loop). */
  public static JsonObject load() {
    return assemble(PARTS, name -> {
      try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
        if (in == null) {
          throw new IllegalStateException("API contract part " + FOLDER + name + " is not on the classpath");
        }
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The first part as the base, with the paths, components and tags of the others merged in. */
  public static JsonObject assemble(List<String> parts, Function<String, String> text) {
    JsonObject document = parse(parts.get(0), text.apply(parts.get(0)));
    for (String name : parts.subList(1, parts.size())) {
      merge(document, parse(name, text.apply(name)), name);
    }
    return document;
  }

  /** A YAML (or JSON, which is YAML) part as JSON. */
  static JsonObject parse(String name, String yaml) {
    try {
      Object tree = YAML.readValue(yaml, Object.class);
      if (!(tree instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException(name + ": a part must be a mapping");
      }
      @SuppressWarnings("unchecked")
      JsonObject part = new JsonObject((Map<String, Object>) map);
      return part;
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": not valid YAML: " + e.getMessage(), e);
    }
  }

  /** Adds a part's operations, components and tags to the document; anything defined twice fails. */
  static void merge(JsonObject document, JsonObject part, String name) {
    for (String key : part.fieldNames()) {
      if (!List.of("paths", "components", "tags").contains(key)) {
        throw new IllegalArgumentException(name + ": a part holds only paths, components and tags, not '" + key + "'");
      }
    }
    JsonObject paths = child(document, "paths");
    part.getJsonObject("paths", new JsonObject()).forEach(path -> {
      JsonObject into = child(paths, path.getKey());
      ((JsonObject) path.getValue()).forEach(operation -> put(into, operation.getKey(), operation.getValue(),
          name + ": " + operation.getKey() + " " + path.getKey()));
    });
    JsonObject components = child(document, "components");
    part.getJsonObject("components", new JsonObject()).forEach(section -> {
      JsonObject into = child(components, section.getKey());
      ((JsonObject) section.getValue()).forEach(component -> put(into, component.getKey(), component.getValue(),
          name + ": components/" + section.getKey() + "/" + component.getKey()));
    });
    JsonArray tags = part.getJsonArray("tags");
    if (tags != null) {
      JsonArray into = document.getJsonArray("tags");
      if (into == null) {
        into = new JsonArray();
        document.put("tags", into);
      }
      for (Object tag : tags) {
        String tagName = ((JsonObject) tag).getString("name");
        if (into.stream().anyMatch(t -> ((JsonObject) t).getString("name").equals(tagName))) {
          throw new IllegalArgumentException(name + ": tag '" + tagName + "' is defined twice");
        }
        into.add(tag);
      }
    }
  }

  private static JsonObject child(JsonObject parent, String key) {
    JsonObject child = parent.getJsonObject(key);
    if (child == null) {
      child = new JsonObject();
      parent.put(key, child);
    }
    return child;
  }

  private static void put(JsonObject into, String key, Object value, String what) {
    if (into.containsKey(key)) {
      throw new IllegalArgumentException(what + " is defined twice");
    }
    into.put(key, value);
  }
}
