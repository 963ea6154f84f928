package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import tributary.node.LogIds;
import tributary.node.LogSetup;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestNode;
import verticles.CoreProcessingVerticle;
import verticles.DispatchVerticle;
import verticles.GatewayRouterVerticle;

/**
 * X4: a request's id (the client's {@code X-Request-Id} when it is short and plain, else a new one,
 * always echoed) travels with what the request brought, edge to gateway to core, and the log lines
 * about its record, blob or task name both ids, as fields in the JSON format.
 */
class RequestIdIntegrationTest {
  private static final String BLOB_UPLOADS = "tributary.http.BlobUploads";
  private static final List<String> LOGGED = List.of(GatewayRouterVerticle.class.getName(),
      CoreProcessingVerticle.class.getName(), DispatchVerticle.class.getName(), BLOB_UPLOADS);
  private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();
  private static final List<Level> LEVELS = new ArrayList<>();

  private static TestNode node;
  private static String alice;

  @BeforeAll
  static void start() {
    LINES.start();
    for (String name : LOGGED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      LEVELS.add(logger.getLevel());
      // The lines about each commit and forward are DEBUG: never per request at INFO on the hot path.
      logger.setLevel(Level.DEBUG);
      logger.addAppender(LINES);
    }
    node = TestNode.start("request-id-node", Map.of());
    alice = node.http.createUser(node.env.adminToken, "alice");
    node.http.createUser(node.env.adminToken, "bob");
  }

  @AfterAll
  static void stop() {
    try {
      node.close();
    } finally {
      for (int i = 0; i < LOGGED.size(); i++) {
        Logger logger = (Logger) LoggerFactory.getLogger(LOGGED.get(i));
        logger.detachAppender(LINES);
        logger.setLevel(LEVELS.get(i));
      }
    }
  }

  @Test
  void theClientsRequestIdIsEchoedAndNamedWithTheRecordByGatewayAndCore() {
    HttpResponse<Buffer> posted = await(node.http.sendAsync(HttpMethod.POST, "/v1/channels/traced/records", alice,
        "application/json", "{\"payload\":{\"c\":21.5}}", Map.of("X-Request-Id", "abc-123")));
    assertEquals(202, posted.statusCode(), posted.bodyAsString());
    assertEquals("abc-123", posted.getHeader("X-Request-Id"));
    String recordId = posted.bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");

    ILoggingEvent committed = awaitLine(CoreProcessingVerticle.class, LogIds.RECORD, recordId);
    assertEquals(Level.DEBUG, committed.getLevel());
    assertEquals("abc-123", pairs(committed).get(LogIds.REQUEST));
    assertTrue(committed.getFormattedMessage().startsWith("committed [envelope: " + recordId + ", request: abc-123,"),
        committed.getFormattedMessage());
    ILoggingEvent forwarded = awaitLine(GatewayRouterVerticle.class, LogIds.RECORD, recordId);
    assertEquals("abc-123", pairs(forwarded).get(LogIds.REQUEST));

    JsonObject json = asJson(committed);
    assertEquals(Map.of(LogIds.RECORD, recordId, LogIds.REQUEST, "abc-123"), jsonPairs(json),
        "--log-format=json writes both ids as fields: " + json.encode());
    assertEquals(committed.getFormattedMessage(), json.getString("formattedMessage"));
  }

  @Test
  void eachRequestOfAGroupCommitKeepsItsOwnId() {
    List<io.vertx.core.Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      posts.add(node.http.sendAsync(HttpMethod.POST, "/v1/channels/traced-many/records", alice, "application/json",
          "{\"payload\":{\"n\":" + i + "}}", Map.of("X-Request-Id", "many-" + i)));
    }
    for (int i = 0; i < posts.size(); i++) {
      HttpResponse<Buffer> posted = await(posts.get(i));
      assertEquals(202, posted.statusCode(), posted.bodyAsString());
      String recordId = posted.bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");
      assertEquals("many-" + i, pairs(awaitLine(CoreProcessingVerticle.class, LogIds.RECORD, recordId))
          .get(LogIds.REQUEST));
    }
  }

  @Test
  void aBlobUploadAndADispatchTaskAreLoggedWithTheirRequestsId() {
    try (BlobClient blobs = new BlobClient(node.port())) {
      BlobClient.Reply up = blobs.upload(alice, "?type=document&name=traced.txt",
          "traced".getBytes(StandardCharsets.UTF_8), Map.of("X-Request-Id", "blob-req-1"));
      assertEquals(201, up.status(), up.body().toString());
      assertEquals("blob-req-1", up.headers().get("X-Request-Id"));
      ILoggingEvent stored = awaitLine(BLOB_UPLOADS, LogIds.BLOB, up.json().getString("id"));
      assertEquals("blob-req-1", pairs(stored).get(LogIds.REQUEST));
    }
    HttpResponse<Buffer> sent = await(node.http.sendAsync(HttpMethod.POST, "/v1/send_data/reading", alice,
        "application/json", "{\"t\":1}", Map.of("USER-AGENT", "alice", "LEVEL", "2", "DES-USER", "bob",
            "X-Request-Id", "task-req-1")));
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    ILoggingEvent task = awaitLine(DispatchVerticle.class, LogIds.TASK, sent.bodyAsJsonObject().getString("taskId"));
    assertEquals("task-req-1", pairs(task).get(LogIds.REQUEST));
  }

  @Test
  void aMalformedRequestIdIsReplacedNotEchoed() throws IOException {
    String tooLong = "a".repeat(65);
    HttpResponse<Buffer> longOne = await(node.http.sendAsync(HttpMethod.GET, "/health", null, null, (String) null,
        Map.of("X-Request-Id", tooLong)));
    assertEquals(200, longOne.statusCode());
    String replaced = longOne.getHeader("X-Request-Id");
    assertNotNull(replaced);
    assertNotEquals(tooLong, replaced);
    assertTrue(replaced.matches("[A-Za-z0-9._:-]{1,64}"), replaced);

    HttpResponse<Buffer> spaced = await(node.http.sendAsync(HttpMethod.GET, "/health", null, null, (String) null,
        Map.of("X-Request-Id", "abc 123")));
    assertTrue(spaced.getHeader("X-Request-Id").matches("[A-Za-z0-9._:-]{1,64}"), spaced.getHeader("X-Request-Id"));

    // Control characters, which an HTTP client library refuses to send: written on a plain socket.
    // A tab is allowed in a header value, so the request is served with a new id ...
    String tabbed = rawGet("/health", "X-Request-Id: zzz\t123");
    assertTrue(tabbed.startsWith("HTTP/1.1 200"), tabbed);
    assertFreshId(tabbed);
    // ... any other control character makes the request malformed HTTP, refused with a new id too.
    String refused = rawGet("/health", "X-Request-Id: zzz\u0001123");
    assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
    assertFreshId(refused);
  }

  private static void assertFreshId(String answer) {
    String id = answer.lines().filter(l -> l.regionMatches(true, 0, "X-Request-Id:", 0, 13)).findFirst()
        .orElseThrow(() -> new AssertionError("no X-Request-Id in " + answer)).substring(13).trim();
    // "zzz" cannot occur in a fresh id, which is hex (a fresh id once held "abc" by chance)
    assertTrue(id.matches("[A-Za-z0-9._:-]{1,64}") && !id.contains("zzz"), id);
  }

  private static String rawGet(String path, String header) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** The first line a logger of {@code type} wrote about the id, waited for. */
  private static ILoggingEvent awaitLine(Class<?> type, String key, String id) {
    return awaitLine(type.getName(), key, id);
  }

  private static ILoggingEvent awaitLine(String logger, String key, String id) {
    Http.awaitCondition(() -> find(logger, key, id).isPresent(), 15_000, logger + "'s line about " + id);
    return find(logger, key, id).orElseThrow();
  }

  private static Optional<ILoggingEvent> find(String logger, String key, String id) {
    synchronized (LINES) { // AppenderBase appends under the appender's own lock
      return LINES.list.stream().filter(e -> e.getLoggerName().equals(logger))
          .filter(e -> id.equals(pairs(e).get(key))).findFirst();
    }
  }

  private static Map<String, Object> pairs(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    return pairs == null ? Map.of() : pairs.stream().collect(Collectors.toMap(p -> p.key, p -> p.value));
  }

  /** The event as --log-format=json writes it. */
  private static JsonObject asJson(ILoggingEvent event) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return new JsonObject(new String(LogSetup.jsonEncoder(context).encode(event), StandardCharsets.UTF_8).trim());
  }

  /** The key-value pairs of a JSON line ({@code kvpList}: one object per pair). */
  private static Map<String, Object> jsonPairs(JsonObject line) {
    Object list = line.getValue("kvpList");
    assertNotNull(list, line.encode());
    JsonArray pairs = list instanceof JsonArray a ? a : new JsonArray().add(list);
    Map<String, Object> out = new java.util.HashMap<>();
    pairs.forEach(p -> out.putAll(((JsonObject) p).getMap()));
    return out;
  }
}
