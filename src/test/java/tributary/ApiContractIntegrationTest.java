package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.http.OpenApiDocument;
import tributary.support.BlobClient;
import tributary.support.ContractSchemas;
import tributary.support.HeadlessChromium;
import tributary.support.Http;
import tributary.support.SseClient;
import tributary.support.TestNode;

/**
 * Issue 19: the API contract served at /v1/openapi.json against a node with every role. The router
 * and the document are walked both ways, and real answers of a representative set of routes
 * (ingest, cursor reads, SSE, blob upload, node list, send_data, errors of every kind...) are
 * validated against the schemas the contract documents for their status, so neither side can
 * drift silently. /docs serves Swagger UI from its WebJar, with every asset it loads.
 */
class ApiContractIntegrationTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "head", "patch", "options");
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private static TestNode node;
  private static Http http;
  private static BlobClient blobs;
  private static String admin;
  private static String alice;
  private static String bob;
  private static JsonObject document;
  private static ContractSchemas schemas;

  @BeforeAll
  static void start() {
    node = TestNode.start("contract-node", Map.of("status-period-ms", "200",
        "max-body-bytes", String.valueOf(MAX_BODY_BYTES)));
    http = node.http;
    blobs = new BlobClient(node.port());
    admin = node.env.adminToken;
    alice = http.createUser(admin, "alice");
    bob = http.createUser(admin, "bob");
    HttpResponse<Buffer> served = http.get("/v1/openapi.json", null);
    assertEquals(200, served.statusCode(), "the contract needs no token: " + served.bodyAsString());
    assertTrue(served.getHeader("Content-Type").startsWith("application/json"));
    document = served.bodyAsJsonObject();
    schemas = new ContractSchemas(served.bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (blobs != null) {
      blobs.close();
    }
    node.close();
  }

  @Test
  void theServedContractIsTheAssembledOne() {
    assertEquals(OpenApiDocument.load(), document);
  }

  /**
   * Routes of the router the contract leaves out on purpose, each with why. A route neither
   * documented nor here fails the test, and so does an entry here that the router no longer has
   * or that the contract documents after all.
   */
  private static final Map<String, String> NOT_IN_CONTRACT = Map.of(
      "* /v1/*", "filters in front of every API route (the bearer token, the body limit) and the JSON 404 of "
          + "an unknown /v1 path: they answer no path of their own, and the contract gives their errors on "
          + "each route",
      "* /v1/storage/nodes/{id}/plan.xml", "the storage nodes' door to the plan file routes, ahead of the "
          + "bearer token (X-Tributary-Secret); the GET and PUT it leads to are documented",
      "* /webjars/*", "the WebJars' static files (Swagger UI's for /docs, the console's chart library): "
          + "files of other projects, loaded by the pages that need them (see theDocsPageLoadsSwaggerUiFromItsWebJar)",
      "* /*", "webroot: the console page and its scripts and styles, static files for the browser, not an API");

  /**
   * Every route the router has (GET /v1/routes: the API's and every other) is documented or left
   * out with a reason in {@link #NOT_IN_CONTRACT}, and every documented route is one the router
   * has (Vert.x :p is {p}).
   */
  @Test
  void theRouterAndTheContractListTheSameRoutes() {
    JsonObject listed = http.get("/v1/routes", admin).bodyAsJsonObject();
    Set<String> served = new TreeSet<>();
    for (String list : List.of("routes", "otherRoutes")) {
      listed.getJsonArray(list).forEach(r -> served.add(
          ((JsonObject) r).getString("method") + " " + openApiPath(((JsonObject) r).getString("path"))));
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    paths.fieldNames().forEach(path -> paths.getJsonObject(path).fieldNames().stream().filter(METHODS::contains)
        .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
    assertTrue(served.size() > 40, "routes served: " + served);
    assertTrue(served.containsAll(List.of("GET /health", "GET /ready", "GET /metrics", "GET /docs",
        "GET /v1/openapi.json")), "the routes outside the API are listed too: " + served);

    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    undocumented.removeAll(NOT_IN_CONTRACT.keySet());
    assertEquals(Set.of(), undocumented, "routes the router serves that the contract does not document: add each to "
        + "the part of its API class in src/main/resources/openapi/ (see OpenApiDocument.PARTS), or, if it is no "
        + "API, to NOT_IN_CONTRACT with the reason");

    Set<String> unserved = new TreeSet<>(documented);
    unserved.removeAll(served);
    assertEquals(Set.of(), unserved, "routes the contract documents that the node does not serve");

    Set<String> stale = new TreeSet<>(NOT_IN_CONTRACT.keySet());
    stale.removeIf(route -> served.contains(route) && !documented.contains(route));
    assertEquals(Set.of(), stale, "NOT_IN_CONTRACT entries the router lacks or the contract documents");
  }

  private static String openApiPath(String vertxPath) {
    return vertxPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  @Test
  void ingestAndCursorReadsAnswerAsDocumented() {
    String path = "/v1/channels/{channel}/records";
    JsonObject one = conforms("POST", path, http.send(HttpMethod.POST, "/v1/channels/contract/records", alice,
        "application/json", "{\"type\":\"reading\",\"payload\":{\"c\":21.5}}"), 202);
    assertEquals(1, one.getJsonArray("records").size());
    HttpResponse<Buffer> batch = await(http.sendAsync(HttpMethod.POST, "/v1/channels/contract/records", alice,
        "application/x-ndjson", "{\"payload\":{\"c\":21.7}}\n{\"payload\":{\"c\":22.0},\"priority\":0}\n",
        Map.of("Idempotency-Key", "contract-batch-1")));
    assertEquals("contract-batch-1", conforms("POST", path, batch, 202).getString("idempotencyKey"));

    JsonObject page = conforms("GET", path, http.get("/v1/channels/contract/records?after=0&limit=10", alice), 200);
    assertEquals(3, page.getJsonArray("records").size());
    conforms("GET", "/v1/channels/{channel}/history", http.get("/v1/channels/contract/history?from=0", alice), 200);
    conforms("GET", "/v1/channels/{channel}", http.get("/v1/channels/contract", alice), 200);
    conforms("GET", "/v1/channels", http.get("/v1/channels", alice), 200);
    conforms("PUT", "/v1/channels/{channel}/cache",
        http.putJson("/v1/channels/contract/cache", alice, "{\"ttlMs\":600000}"), 200);
    conforms("GET", "/v1/channels/{channel}/acl", http.get("/v1/channels/contract/acl", alice), 200);
    conforms("GET", "/v1/edge/results", http.get("/v1/edge/results?after=0", admin), 200);

    String recordId = page.getJsonArray("records").getJsonObject(0).getString("id");
    JsonObject elsewhere = conforms("POST", path, http.send(HttpMethod.POST, "/v1/channels/contract-other/records",
        alice, "application/json", "{\"id\":\"" + recordId + "\",\"payload\":1}"), 202);
    assertEquals("contract", elsewhere.getJsonArray("records").getJsonObject(0).getString("channel"),
        "a duplicate names the channel that holds it");
    conforms("GET", "/v1/provenance/{id}", http.get("/v1/provenance/" + recordId, alice), 200);
    conforms("GET", "/v1/records/{id}/placement", http.get("/v1/records/" + recordId + "/placement", alice), 200);
  }

  /** A live stream is the documented media type, and each event's data is a record as the contract has it. */
  @Test
  void liveStreamsSendDocumentedRecordEvents() {
    assertNotNull(schemas.at("/components/responses/EventStream/content/text~1event-stream"));
    assertEquals("#/components/responses/EventStream",
        schemas.at("/paths/~1v1~1channels~1{channel}~1stream/get/responses/200/$ref"));
    http.postJson("/v1/channels/contract-live/records", alice, "{\"payload\":{\"n\":1}}");
    http.postJson("/v1/channels/contract-live/records", alice, "{\"payload\":{\"n\":2}}");
    try (SseClient stream = new SseClient(node.port(), "/v1/channels/contract-live/stream", alice, "0")) {
      assertEquals(200, stream.status);
      Http.awaitCondition(() -> stream.ids.size() == 2, 15_000, "both records on the stream");
      assertEquals(List.of(1L, 2L), stream.ids);
      assertEquals(List.of("record", "record"), stream.events);
      for (String data : stream.data) {
        assertEquals(List.of(), schemas.problems("/components/schemas/Record", data), data);
      }
    }
  }

  @Test
  void errorAnswersAreTheDocumentedErrorBody() {
    http.postJson("/v1/channels/contract-private/records", alice, "{\"payload\":1}");
    http.putJson("/v1/channels/contract-private/acl", alice, "{\"readers\":[],\"writers\":[]}");
    conforms("GET", "/v1/channels/{channel}/records", http.get("/v1/channels/contract/records?limit=0", alice), 400);
    conforms("GET", "/v1/nodes", http.get("/v1/nodes", null), 401);
    conforms("GET", "/v1/channels/{channel}/records", http.get("/v1/channels/contract-private/records", bob), 403);
    conforms("GET", "/v1/nodes/{nodeId}/status", http.get("/v1/nodes/no-such-node/status", admin), 404);
    conforms("PUT", "/v1/channels/{channel}",
        http.putJson("/v1/channels/contract-private", admin, "{\"owner\":\"bob\"}"), 409);
    conforms("POST", "/v1/channels/{channel}/records", http.send(HttpMethod.POST, "/v1/channels/contract/records",
        alice, "application/json", "{\"payload\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}"), 413);
    conforms("POST", "/v1/channels/{channel}/records",
        http.send(HttpMethod.POST, "/v1/channels/contract/records", alice, "text/plain", "hello"), 415);
    HttpResponse<Buffer> curl = await(http.sendAsync(HttpMethod.POST, "/v1/send_data/reading", alice, "text/plain", "x",
        Map.of("USER-AGENT", "curl/8.5.0", "LEVEL", "1", "DES-USER", "bob")));
    conforms("POST", "/v1/send_data/{dataType}", curl, 400);
  }

  @Test
  void blobUploadAndStorageAnswerAsDocumented() {
    BlobClient.Reply up = blobs.upload(alice, "?type=document&name=contract.txt",
        "the contract".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
    assertEquals(201, up.status(), up.body().toString());
    assertTrue(up.headers().get("Content-Type").startsWith("application/json"));
    String pointer = schemas.responseSchema("PUT", "/v1/blobs", 201, "application/json");
    assertEquals(List.of(), schemas.problems(pointer, up.body().toString()), up.body().toString());
    String id = up.json().getString("id");

    conforms("GET", "/v1/blobs/{id}/meta", http.get("/v1/blobs/" + id + "/meta", alice), 200);
    conforms("GET", "/v1/provenance/{id}", http.get("/v1/provenance/" + id, alice), 200);
    conforms("GET", "/v1/blobs/{id}/meta", http.get("/v1/blobs/" + id + "/meta", bob), 403);
    conforms("GET", "/v1/storage/nodes", http.get("/v1/storage/nodes", alice), 200);
    conforms("GET", "/v1/storage/health", http.get("/v1/storage/health", alice), 200);
    conforms("GET", "/v1/storage/seal-key", http.get("/v1/storage/seal-key", alice), 200);
    conforms("POST", "/v1/tasks", http.postJson("/v1/tasks", alice,
        new JsonObject().put("kind", "compress").put("blob", id).encode()), 202);
    conforms("GET", "/v1/tasks", http.get("/v1/tasks?blob=" + id, alice), 200);
    String plans = "/v1/storage/nodes/contract-node-s1/plan.xml";
    conforms("PUT", "/v1/storage/nodes/{id}/plan.xml", http.send(HttpMethod.PUT, plans, admin, "application/xml",
        new tributary.storage.PlanFile("contract-node-s1", 1, List.of()).toXml()), 200);
    conforms("PUT", "/v1/storage/nodes/{id}/plan.xml", http.send(HttpMethod.PUT, plans, admin, "application/xml",
        "<taskPlans"), 400);
    conforms("GET", "/v1/storage/nodes/{id}/plan.xml", http.get(plans, alice), 403);
    hasDocumentedHeaders("/v1/blobs/{id}", http.get("/v1/blobs/" + id, alice), 200);
    hasDocumentedHeaders("/v1/blobs/{id}",
        await(http.sendAsync(HttpMethod.GET, "/v1/blobs/" + id, alice, null, (String) null, Map.of("Range", "bytes=0-2"))),
        206);
    HttpResponse<Buffer> outside = await(http.sendAsync(HttpMethod.GET, "/v1/blobs/" + id, alice, null, (String) null,
        Map.of("Range", "bytes=100-200")));
    conforms("GET", "/v1/blobs/{id}", outside, 416);
    assertEquals("bytes */12", outside.getHeader("Content-Range"));
    answersWithoutBody("DELETE", "/v1/blobs/{id}", http.send(HttpMethod.DELETE, "/v1/blobs/" + id, alice, null, null),
        204);
  }

  /** A download carries every header the contract documents for its status. */
  private static void hasDocumentedHeaders(String path, HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject headers = (JsonObject) schemas.at("/paths/" + path.replace("/", "~1") + "/get/responses/" + status
        + "/headers");
    assertTrue(headers.size() >= 4, headers.encode());
    for (String header : headers.fieldNames()) {
      assertNotNull(response.getHeader(header), header + " on a " + status + " download");
    }
  }

  @Test
  void nodesAnswerAsDocumented() {
    Http.awaitCondition(() -> http.get("/v1/nodes", admin).bodyAsJsonObject().getJsonArray("nodes").stream()
        .anyMatch(n -> ((JsonObject) n).getValue("status") != null), 15_000, "a node's first status report");
    JsonObject nodes = conforms("GET", "/v1/nodes", http.get("/v1/nodes", admin), 200);
    String nodeId = nodes.getJsonArray("nodes").getJsonObject(0).getString("nodeId");
    conforms("GET", "/v1/nodes/{nodeId}/status", http.get("/v1/nodes/" + nodeId + "/status", admin), 200);
    conforms("POST", "/v1/nodes/{nodeId}/commands", http.postJson("/v1/nodes/" + nodeId + "/commands", admin,
        "{\"command\":\"clear-cache\",\"args\":{\"channel\":\"contract-none\"}}"), 201);
    conforms("GET", "/v1/nodes/{nodeId}/commands", http.get("/v1/nodes/" + nodeId + "/commands", admin), 200);
    conforms("GET", "/v1/nodes/{nodeId}/grant", http.get("/v1/nodes/" + nodeId + "/grant", admin), 200);
    conforms("GET", "/health", http.get("/health", null), 200);
    conforms("GET", "/ready", http.get("/ready", null), 200);
    conforms("GET", "/v1/routes", http.get("/v1/routes", admin), 200);
  }

  @Test
  void dispatchAnswersAsDocumented() {
    HttpResponse<Buffer> sent = await(http.sendAsync(HttpMethod.POST, "/v1/send_data/reading", alice,
        "application/json", "{\"t\":21.5}", Map.of("USER-AGENT", "alice", "LEVEL", "2", "DES-USER", "bob")));
    String taskId = conforms("POST", "/v1/send_data/{dataType}", sent, 202).getString("taskId");
    Http.awaitCondition(() -> http.get("/v1/users/bob/data?after=0", bob).bodyAsJsonObject()
        .getJsonArray("records").size() == 1, 15_000, "the item in bob's queue");
    JsonObject queue = conforms("GET", "/v1/users/{userId}/data", http.get("/v1/users/bob/data?after=0", bob), 200);
    JsonObject item = queue.getJsonArray("records").getJsonObject(0).getJsonObject("payload");
    assertEquals(List.of(), schemas.problems("/components/schemas/DeliveredItem", item.encode()), item.encode());
    conforms("GET", "/v1/dispatch/tasks/{taskId}", http.get("/v1/dispatch/tasks/" + taskId, alice), 200);
    conforms("GET", "/v1/dispatch/tasks", http.get("/v1/dispatch/tasks?sender=alice", alice), 200);
    conforms("GET", "/v1/topology", http.get("/v1/topology", admin), 200);
    conforms("POST", "/v1/users/{userId}/data/ack", http.postJson("/v1/users/bob/data/ack", bob, "{\"upTo\":1}"), 200);
    HttpResponse<Buffer> bytes = http.get("/v1/users/bob/data/1/body", bob);
    assertEquals("{\"t\":21.5}", bytes.bodyAsString());
    assertNotNull(schemas.at("/paths/~1v1~1users~1{userId}~1data~1{cursor}~1body/get/responses/"
        + bytes.statusCode() + "/content/*~1*"), "the body route's answer is documented");
    int worker = conforms("GET", "/v1/topology", http.get("/v1/topology", admin), 200).getJsonArray("workers")
        .getJsonObject(0).getInteger("number");
    conforms("PUT", "/v1/users/{userId}/worker",
        http.putJson("/v1/users/bob/worker", admin, new JsonObject().put("worker", worker).encode()), 200);
  }

  @Test
  void administrationAnswersAsDocumented() {
    conforms("GET", "/v1/users", http.get("/v1/users", admin), 200);
    conforms("POST", "/v1/users/{userId}/tokens",
        http.postJson("/v1/users/alice/tokens", alice, "{\"ttlSeconds\":3600,\"label\":\"ci\"}"), 201);
    conforms("GET", "/v1/users/{userId}/tokens", http.get("/v1/users/alice/tokens", alice), 200);
    conforms("PUT", "/v1/processors/{dataType}", http.putJson("/v1/processors/contract-type", admin,
        "{\"fields\":{\"t\":{\"type\":\"number\",\"required\":true}}}"), 200);
    conforms("GET", "/v1/processors", http.get("/v1/processors", alice), 200);
    conforms("POST", "/v1/sinks", http.postJson("/v1/sinks", admin,
        "{\"sinkId\":\"contract-sink\",\"url\":\"http://127.0.0.1:9/hook\",\"channel\":\"contract-none\"}"), 201);
    conforms("GET", "/v1/sinks", http.get("/v1/sinks", admin), 200);
    conforms("GET", "/v1/sinks/{sinkId}/dead-letters", http.get("/v1/sinks/contract-sink/dead-letters", admin), 200);
    conforms("GET", "/v1/users", http.get("/v1/users", alice), 403);
    conforms("POST", "/v1/users", http.postJson("/v1/users", admin, "{\"userId\":\"alice\"}"), 409);
    String tokenId = conforms("POST", "/v1/users/{userId}/tokens", http.postJson("/v1/users/bob/tokens", admin, "{}"),
        201).getString("tokenId");
    conforms("DELETE", "/v1/users/{userId}/tokens/{tokenId}",
        http.send(HttpMethod.DELETE, "/v1/users/bob/tokens/" + tokenId, bob, null, null), 200);
    conforms("PUT", "/v1/channels/{channel}",
        http.putJson("/v1/channels/contract-owned", admin, "{\"owner\":\"alice\"}"), 201);
    conforms("PUT", "/v1/channels/{channel}/acl",
        http.putJson("/v1/channels/contract-owned/acl", alice, "{\"readers\":[\"bob\"]}"), 200);
    conforms("DELETE", "/v1/channels/{channel}/acl",
        http.send(HttpMethod.DELETE, "/v1/channels/contract-owned/acl", alice, null, null), 200);
    conforms("POST", "/v1/sinks/{sinkId}/dead-letters/replay",
        http.send(HttpMethod.POST, "/v1/sinks/contract-sink/dead-letters/replay", admin, null, null), 200);
    answersWithoutBody("DELETE", "/v1/sinks/{sinkId}",
        http.send(HttpMethod.DELETE, "/v1/sinks/contract-sink", admin, null, null), 204);
    answersWithoutBody("DELETE", "/v1/processors/{dataType}",
        http.send(HttpMethod.DELETE, "/v1/processors/contract-type", admin, null, null), 204);
  }

  /** An answer with no body: the status is the one expected, and documented for the route. */
  private static void answersWithoutBody(String method, String path, HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), method + " " + path + ": " + response.bodyAsString());
    assertEquals(0, response.body() == null ? 0 : response.body().length());
    assertNotNull(schemas.at("/paths/" + path.replace("/", "~1") + "/" + method.toLowerCase() + "/responses/" + status),
        method + " " + path + " " + status + " is not documented");
  }

  /**
   * The answer has the status the test expects, the contract documents a JSON answer with that
   * status for the route, and the body matches its schema.
   */
  private static JsonObject conforms(String method, String path, HttpResponse<Buffer> response, int status) {
    String body = response.bodyAsString();
    assertEquals(status, response.statusCode(), method + " " + path + ": " + body);
    String pointer = schemas.responseSchema(method, path, status, "application/json");
    assertNotNull(pointer, method + " " + path + " " + status + " is not documented with a JSON body");
    assertTrue(String.valueOf(response.getHeader("Content-Type")).startsWith("application/json"),
        method + " " + path + ": " + response.getHeader("Content-Type"));
    assertEquals(List.of(), schemas.problems(pointer, body), method + " " + path + " " + status + ": " + body);
    return new JsonObject(body);
  }

  /** /docs is Swagger UI on /v1/openapi.json, and every script and style it loads is served. */
  @Test
  void theDocsPageLoadsSwaggerUiFromItsWebJar() {
    HttpResponse<Buffer> page = http.get("/docs", null);
    assertEquals(200, page.statusCode());
    assertEquals(List.of(), page.followedRedirects(), "/docs answers itself");
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.bodyAsString());
    JsonArray loaded = new JsonArray();
    while (assets.find()) {
      String asset = assets.group(1);
      HttpResponse<Buffer> answer = http.get(asset, null);
      assertEquals(200, answer.statusCode(), asset);
      assertTrue(answer.body().length() > 0, asset);
      loaded.add(asset);
      if (asset.startsWith("/docs/")) {
        assertTrue(answer.bodyAsString().contains("'/v1/openapi.json'"), asset + " points the UI at the contract");
      }
    }
    assertTrue(loaded.contains("/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js"), loaded.encode());
    assertTrue(loaded.contains("/webjars/swagger-ui/5.35.0/swagger-ui.css"), loaded.encode());
    assertTrue(loaded.contains("/docs/docs.js"), loaded.encode());
  }

  /** In a browser, Swagger UI reads the contract without an error and shows every operation of it. */
  @Test
  void theDocsPageShowsEveryOperationInChromium() throws Exception {
    long operations = document.getJsonObject("paths").stream()
        .mapToLong(path -> ((JsonObject) path.getValue()).fieldNames().stream().filter(METHODS::contains).count()).sum();
    String origin = "http://127.0.0.1:" + node.port() + "/docs";
    try (HeadlessChromium chromium = new HeadlessChromium(origin)) {
      chromium.awaitPage(origin);
      Http.awaitCondition(() -> ((Number) chromium.evaluate("document.querySelectorAll('.opblock').length"))
          .longValue() == operations, 30_000, operations + " operations shown");
      assertEquals(0L, ((Number) chromium.evaluate("document.querySelectorAll('.errors-wrapper').length")).longValue(),
          String.valueOf(chromium.evaluate("document.querySelector('.errors-wrapper')?.innerText")));
      assertEquals("Tributary API", chromium.evaluate("document.querySelector('.info .title')?.firstChild?.textContent?.trim()"));
    }
  }
}
