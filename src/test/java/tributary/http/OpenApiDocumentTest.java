package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tributary.support.ContractSchemas;

/** The API contract's assembly from its parts, and the assembled document as OpenAPI 3.1 (issue 19). */
class OpenApiDocumentTest {
  private static final String BASE = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
      + "components:\n  schemas:\n    Error: {type: object}\n";

  private static JsonObject assemble(Map<String, String> parts) {
    return OpenApiDocument.assemble(List.copyOf(parts.keySet()), parts::get);
  }

  private static Map<String, String> parts(String... namesAndTexts) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      out.put(namesAndTexts[i], namesAndTexts[i + 1]);
    }
    return out;
  }

  @Test
  void twoPartsServingOnePathAreMergedOperationByOperation() {
    JsonObject doc = assemble(parts("base.yaml", BASE,
        "channels.yaml", "paths:\n  /v1/c/{c}/records:\n    get: {operationId: read}\n"
            + "components:\n  schemas:\n    Page: {type: object}\ntags: [{name: channels}]\n",
        "ingest.yaml", "paths:\n  /v1/c/{c}/records:\n    post: {operationId: ingest}\ntags: [{name: ingest}]\n"));
    JsonObject path = doc.getJsonObject("paths").getJsonObject("/v1/c/{c}/records");
    assertEquals(Set.of("get", "post"), path.fieldNames());
    assertEquals("ingest", path.getJsonObject("post").getString("operationId"));
    assertEquals(Set.of("Error", "Page"), doc.getJsonObject("components").getJsonObject("schemas").fieldNames());
    assertEquals(2, doc.getJsonArray("tags").size());
    assertEquals("3.1.0", doc.getString("openapi"));
  }

  @Test
  void anOperationDefinedInTwoPartsFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assemble(parts("base.yaml", BASE,
        "a.yaml", "paths:\n  /v1/x:\n    get: {operationId: one}\n",
        "b.yaml", "paths:\n  /v1/x:\n    get: {operationId: two}\n")));
    assertTrue(e.getMessage().contains("b.yaml: get /v1/x is defined twice"), e.getMessage());
  }

  @Test
  void aComponentDefinedTwiceFailsInsteadOfReplacingTheOther() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assemble(parts("base.yaml", BASE,
        "a.yaml", "components:\n  schemas:\n    Error: {type: string}\n")));
    assertTrue(e.getMessage().contains("components/schemas/Error is defined twice"), e.getMessage());
  }

  @Test
  void aTagDefinedTwiceFails() {
    assertThrows(IllegalArgumentException.class, () -> assemble(parts("base.yaml", BASE,
        "a.yaml", "tags: [{name: x}]\n", "b.yaml", "tags: [{name: x}]\n")));
  }

  @Test
  void aPartHoldsOnlyPathsComponentsAndTags() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assemble(parts("base.yaml", BASE,
        "a.yaml", "info: {title: other}\n")));
    assertTrue(e.getMessage().contains("a.yaml"), e.getMessage());
  }

  @Test
  void aPartThatIsNotYamlFailsNamingTheFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assemble(parts("base.yaml", BASE,
        "a.yaml", "paths: [unclosed\n")));
    assertTrue(e.getMessage().startsWith("a.yaml"), e.getMessage());
  }

  /** A part left out of the list would silently drop its routes from the contract; one listed but missing fails. */
  @Test
  void everyPartOnDiskIsAssembledAndEveryListedPartExists() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources", OpenApiDocument.FOLDER))) {
      Set<String> onDisk = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(onDisk, new TreeSet<>(OpenApiDocument.PARTS));
    }
  }

  @Test
  void theAssembledContractIsValidOpenApi31() {
    String json = OpenApiDocument.load().encode();
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, null);
    assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
    assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
    assertTrue(result.getOpenAPI().getPaths().size() > 40, "paths: " + result.getOpenAPI().getPaths().size());
  }

  /** The schemas are strict enough to catch drift: a field added, renamed or of another type fails. */
  @Test
  void theSchemasRefuseAnswersThatDrifted() {
    ContractSchemas schemas = new ContractSchemas(OpenApiDocument.load().encode());
    String error = schemas.responseSchema("GET", "/v1/nodes", 401, "application/json");
    assertEquals(List.of(), schemas.problems(error, "{\"error\":\"unauthorized\",\"message\":\"no\"}"));
    assertFalse(schemas.problems(error, "{\"error\":\"unauthorized\",\"message\":\"no\",\"extra\":1}").isEmpty());
    assertFalse(schemas.problems(error, "{\"code\":\"unauthorized\",\"message\":\"no\"}").isEmpty());
    String blob = schemas.responseSchema("PUT", "/v1/blobs", 201, "application/json");
    JsonObject answer = ((JsonObject) schemas.at(blob.replace("/schema", "/example"))).copy();
    assertEquals(List.of(), schemas.problems(blob, answer.encode()));
    assertFalse(schemas.problems(blob, answer.copy().put("unknown", 1).encode()).isEmpty(), "an unknown field");
    assertFalse(schemas.problems(blob, answer.copy().put("size", "4").encode()).isEmpty(), "a field of another type");
    answer.remove("sha256");
    assertFalse(schemas.problems(blob, answer.encode()).isEmpty(), "a missing field");
  }

  /** The examples shown in /docs are answers the schemas accept, so they cannot drift from the contract either. */
  @Test
  void everyJsonExampleMatchesItsSchema() {
    JsonObject doc = OpenApiDocument.load();
    ContractSchemas schemas = new ContractSchemas(doc.encode());
    List<String> problems = new ArrayList<>();
    int[] checked = {0};
    ContractSchemas.jsonMediaTypes(doc).forEach((pointer, media) -> {
      List<Object> examples = new ArrayList<>();
      if (media.containsKey("example")) {
        examples.add(media.getValue("example"));
      }
      JsonObject named = media.getJsonObject("examples", new JsonObject());
      named.fieldNames().forEach(n -> examples.add(named.getJsonObject(n).getValue("value")));
      for (Object example : examples) {
        checked[0]++;
        schemas.problems(pointer + "/schema", io.vertx.core.json.Json.encode(example))
            .forEach(p -> problems.add(pointer + ": " + p));
      }
    });
    assertEquals(List.of(), problems);
    assertTrue(checked[0] > 30, "examples checked: " + checked[0]);
  }
}
