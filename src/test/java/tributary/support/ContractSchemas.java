package tributary.support;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON against the schemas of the API contract (issue 19) with a JSON Schema 2020-12
 * validator in the OpenAPI 3.1 dialect. The whole document is the resource {@link #DOCUMENT}, so a
 * schema's {@code #/components/...} references resolve into it as they do in the contract.
 */
public final class ContractSchemas {
  private static final String DOCUMENT = "https://tributary.invalid/v1/openapi.json";

  private final JsonObject document;
  private final JsonSchemaFactory factory;

  public ContractSchemas(String documentJson) {
    this.document = new JsonObject(documentJson);
    this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
        .metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
        .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, documentJson))));
  }

  /** What is wrong with {@code json} under the schema at {@code pointer} in the document (empty: it conforms). */
  public List<String> problems(String pointer, String json) {
    Object schema = at(pointer);
    if (!(schema instanceof JsonObject object)) {
      return List.of("no schema at " + pointer);
    }
    // The schema's own references point into the document it was cut from.
    String text = object.encode().replace("\"#/components/", "\"" + DOCUMENT + "#/components/");
    JsonSchema compiled = factory.getSchema(text, InputFormat.JSON);
    return compiled.validate(json, InputFormat.JSON).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /**
   * The pointer to the JSON schema of an operation's answer with this status and media type, with a
   * response given by {@code $ref} followed; null when the contract documents no such answer.
   */
  public String responseSchema(String method, String path, int status, String mediaType) {
    String operation = "/paths/" + escape(path) + "/" + method.toLowerCase();
    if (!(at(operation) instanceof JsonObject)) {
      return null;
    }
    String response = operation + "/responses/" + status;
    Object answer = at(response);
    if (answer instanceof JsonObject r && r.containsKey("$ref")) {
      response = r.getString("$ref").substring(1);
    }
    String schema = response + "/content/" + escape(mediaType) + "/schema";
    return at(schema) == null ? null : schema;
  }

  /** The value at a JSON pointer in the document, or null. */
  public Object at(String pointer) {
    Object here = document;
    for (String raw : pointer.substring(1).split("/")) {
      String token = raw.replace("~1", "/").replace("~0", "~");
      if (here instanceof JsonObject o) {
        here = o.getValue(token);
      } else if (here instanceof JsonArray a && token.matches("\\d+") && Integer.parseInt(token) < a.size()) {
        here = a.getValue(Integer.parseInt(token));
      } else {
        return null;
      }
    }
    return here;
  }

  /** Every application/json media type object in the document, by its pointer. */
  public static Map<String, JsonObject> jsonMediaTypes(JsonObject document) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    collect(document, "", out);
    return out;
  }

  private static void collect(Object node, String pointer, Map<String, JsonObject> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object child = o.getValue(key);
        String at = pointer + "/" + escape(key);
        if (key.equals("content") && child instanceof JsonObject content
            && content.getValue("application/json") instanceof JsonObject media && media.containsKey("schema")) {
          out.put(at + "/" + escape("application/json"), media);
        }
        collect(child, at, out);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        collect(a.getValue(i), pointer + "/" + i, out);
      }
    }
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
