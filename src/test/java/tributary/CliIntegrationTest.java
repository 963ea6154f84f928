package tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.cli.Cli;
import tributary.cli.CliIo;
import tributary.support.DroppingProxy;
import tributary.support.Http;
import tributary.support.TestNode;

/** Issue 19: each command of the command-line client run in-process against a real node, as a user types it. */
class CliIntegrationTest {
  private static TestNode node;
  private static String url;
  private static String admin;
  private static String alice;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    node = TestNode.start("cli-node", Map.of());
    url = "http://127.0.0.1:" + node.port();
    admin = node.env.adminToken;
    alice = node.http.createUser(admin, "alice");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** One command's exit code and what it wrote. */
  record Run(int code, String out, String err) {}

  /** Streams a command writes to while it runs, readable at any time. */
  static final class Capture {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CliIo io(InputStream in) {
      return new CliIo(in, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir.resolve("no-home"));
    }

    List<String> outLines() {
      String text = out.toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
  }

  private static Run run(InputStream in, String... args) {
    Capture capture = new Capture();
    int code = Cli.run(args, capture.io(in));
    return new Run(code, capture.out.toString(StandardCharsets.UTF_8), capture.err.toString(StandardCharsets.UTF_8));
  }

  private static Run run(String... args) {
    return run(InputStream.nullInputStream(), args);
  }

  /** Every record of a channel, read by cursor a page at a time. */
  private static List<JsonObject> readAll(String channel) {
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject page = node.http.get("/v1/channels/" + channel + "/records?after=" + after + "&limit=300", alice)
          .bodyAsJsonObject();
      JsonArray records = page.getJsonArray("records");
      if (records.isEmpty()) {
        return all;
      }
      records.forEach(r -> all.add((JsonObject) r));
      after = page.getLong("next");
    }
  }

  private static String ndjson(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(n -> "{\"payload\":{\"n\":" + n + "}}")
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void sendPostsAThousandNdjsonLinesInBatchesThatReadBackExactlyByCursor() throws IOException {
    Path file = dir.resolve("thousand.ndjson");
    Files.writeString(file, ndjson(1, 1000));
    Run sent = run("send", "bulk", file.toString(), "--url", url, "--token", alice, "--batch", "300");
    assertEquals(0, sent.code(), sent.err());
    JsonObject summary = new JsonObject(sent.out().trim());
    assertEquals(1000, summary.getLong("records"));
    assertEquals(1000, summary.getLong("lastCursor"));
    assertTrue(sent.err().contains("sent 1,000 records to bulk") && sent.err().contains("records/s"), sent.err());
    assertTrue(sent.err().contains("100%"), "the progress bar reaches the file's end: " + sent.err());

    List<JsonObject> read = readAll("bulk");
    assertEquals(1000, read.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(i + 1, read.get(i).getLong("cursor"));
      assertEquals(i + 1, read.get(i).getJsonObject("payload").getInteger("n"), "line " + (i + 1) + " in its place");
    }
  }

  @Test
  void sendReadsStandardInputAndEndsNonZeroWithTheNodesMessageOnARefusal() {
    Run sent = run(new ByteArrayInputStream(ndjson(1, 3).getBytes(StandardCharsets.UTF_8)),
        "send", "piped", "-", "--url", url, "--token", alice);
    assertEquals(0, sent.code(), sent.err());
    assertEquals(3, readAll("piped").size());

    Run bad = run(new ByteArrayInputStream("{\"payload\":1}\nnot json\n".getBytes(StandardCharsets.UTF_8)),
        "send", "piped", "--url", url, "--token", alice);
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("HTTP 400") && bad.err().contains("line 2"), bad.err());
    assertEquals(3, readAll("piped").size(), "nothing of a refused batch is stored");

    Run refused = run(new ByteArrayInputStream(ndjson(1, 1).getBytes(StandardCharsets.UTF_8)),
        "send", "piped", "--url", url, "--token", "trb_not-a-token");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("HTTP 401"), refused.err());
  }

  @Test
  void tailFromAfterSeesEachRecordExactlyOnceInOrderWhileRecordsArePostedAndConnectionsDrop() throws Exception {
    String channel = "live";
    assertEquals(0, run(new ByteArrayInputStream(ndjson(1, 10).getBytes(StandardCharsets.UTF_8)),
        "send", channel, "--url", url, "--token", alice).code());
    try (DroppingProxy proxy = new DroppingProxy(node.port())) {
      Capture tail = new Capture();
      CompletableFuture<Integer> tailing = CompletableFuture.supplyAsync(() -> Cli.run(new String[] {"tail", channel,
          "--after", "5", "--count", "295", "--url", "http://127.0.0.1:" + proxy.port(), "--token", alice},
          tail.io(InputStream.nullInputStream())));
      // Records are posted in thirds, each while the tail streams; a drop comes before the next third,
      // so the tail always has records still to come when its connection drops (posts can be fast
      // enough for a tail to finish before a drop timed only by what it printed).
      post(channel, 11, 100);
      Http.awaitCondition(() -> tail.outLines().size() >= 50, 30_000, "tail printed 50 records");
      proxy.dropAll();
      post(channel, 101, 200);
      Http.awaitCondition(() -> tail.outLines().size() >= 150, 30_000, "tail printed 150 records");
      proxy.dropAll();
      post(channel, 201, 300);
      assertEquals(0, tailing.get(60, TimeUnit.SECONDS), tail.err.toString(StandardCharsets.UTF_8));

      List<String> lines = tail.outLines();
      assertEquals(295, lines.size());
      for (int i = 0; i < lines.size(); i++) {
        JsonObject record = new JsonObject(lines.get(i));
        assertEquals(i + 6, record.getLong("cursor"), "line " + i + ": " + lines.get(i));
        assertEquals(i + 6, record.getJsonObject("payload").getInteger("n"));
      }
      String err = tail.err.toString(StandardCharsets.UTF_8);
      assertTrue(err.split("resuming after cursor", -1).length - 1 >= 2, "both drops were resumed from: " + err);
    }
  }

  /** Posts records {@code from..to} to the channel, ten to a `send`. */
  private void post(String channel, int from, int to) {
    for (int first = from; first <= to; first += 10) {
      Run r = run(new ByteArrayInputStream(ndjson(first, Math.min(first + 9, to)).getBytes(StandardCharsets.UTF_8)),
          "send", channel, "--url", url, "--token", alice);
      assertEquals(0, r.code(), r.err());
    }
  }

  /**
   * A stream that goes silent without closing (no event, no heartbeat) is dropped after the idle
   * timeout and resumed from the last cursor; heartbeats alone keep a connection.
   */
  @Test
  void tailReconnectsFromItsLastCursorWhenTheStreamGoesSilentWithoutClosing() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> resumedAfter = new CopyOnWriteArrayList<>();
    try {
      HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
        resumedAfter.add(String.valueOf(request.getHeader("Last-Event-ID")));
        HttpServerResponse response = request.response().setChunked(true)
            .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        if (resumedAfter.size() == 1) {
          response.write(event(1) + event(2)); // then silence, the connection left open
          return;
        }
        // Heartbeats only, for longer than the idle timeout, then the rest.
        response.write(event(3));
        long pings = vertx.setPeriodic(250, t -> response.write(": ping\n\n"));
        vertx.setTimer(1800, t -> {
          vertx.cancelTimer(pings);
          response.write(event(4) + event(5));
        });
      }).listen(0, "127.0.0.1"));
      Capture tail = new Capture();
      // Without the idle timeout the command would wait forever: bounded here, so that fails the test.
      int code = CompletableFuture.supplyAsync(() -> Cli.run(new String[] {"tail", "quiet", "--after", "0",
          "--idle-timeout", "1", "--count", "5", "--url", "http://127.0.0.1:" + server.actualPort(), "--token",
          "trb_test"}, tail.io(InputStream.nullInputStream()))).get(30, TimeUnit.SECONDS);
      String err = tail.err.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, err);
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), tail.outLines().stream()
          .map(line -> new JsonObject(line).getLong("cursor")).toList(), "each record once, in order");
      assertEquals(List.of("0", "2"), resumedAfter, "one reconnection, from the second event: " + err);
      assertTrue(err.contains("not even a heartbeat, for 1000 ms; reconnecting and resuming after cursor 2"), err);
    } finally {
      await(vertx.close());
    }
  }

  private static String event(long cursor) {
    return "id: " + cursor + "\nevent: record\ndata: {\"cursor\":" + cursor + ",\"payload\":{\"n\":" + cursor
        + "}}\n\n";
  }

  @Test
  void putAndGetMoveAFiveMegabyteFileByteExact() throws IOException {
    byte[] bytes = new byte[5 * 1024 * 1024 + 17];
    new Random(19).nextBytes(bytes);
    Path file = dir.resolve("five.bin");
    Files.write(file, bytes);
    Run put = run("put", file.toString(), "--type", "document", "--url", url, "--token", alice);
    assertEquals(0, put.code(), put.err());
    JsonObject blob = new JsonObject(put.out().trim());
    assertEquals(bytes.length, blob.getLong("size"));
    assertTrue(put.err().contains("100%") && put.err().contains("5.0 MiB"), put.err());

    Path copy = dir.resolve("five.copy");
    Run get = run("get", blob.getString("id"), "-o", copy.toString(), "--url", url, "--token", alice);
    assertEquals(0, get.code(), get.err());
    assertArrayEquals(bytes, Files.readAllBytes(copy));
    assertTrue(get.err().contains("100%"), get.err());

    Run missing = run("get", "0".repeat(64), "-o", dir.resolve("none").toString(), "--url", url, "--token", alice);
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("HTTP 404"), missing.err());
    assertFalse(Files.exists(dir.resolve("none")), "a failed download leaves no file");
  }

  @Test
  void nodesPrintsATableOfTheRegisteredNodes() {
    Run nodes = run("nodes", "--url", url, "--token", admin);
    assertEquals(0, nodes.code(), nodes.err());
    String[] lines = nodes.out().split("\n");
    assertTrue(lines[0].startsWith("NODE") && lines[0].contains("ROLES") && lines[0].contains("LAST SEEN"), lines[0]);
    assertTrue(lines.length >= 2 && lines[1].startsWith("cli-node ") && lines[1].contains(" up "), nodes.out());
  }

  @Test
  void usersAddPrintsTheNewTokenOnceAndItWorks() {
    Run added = run("users", "add", "bob", "--kind", "edge", "--url", url, "--token", admin);
    assertEquals(0, added.code(), added.err());
    String token = added.out().trim();
    assertTrue(token.startsWith("trb_"), added.out());
    assertEquals(200, node.http.get("/v1/channels/bulk", token).statusCode(), "the printed token is bob's");
    assertTrue(added.err().contains("edge 'bob' made"), added.err());

    Run again = run("users", "add", "bob", "--url", url, "--token", admin);
    assertEquals(1, again.code());
    assertTrue(again.err().contains("HTTP 409") && again.err().contains("bob"), again.err());
    Run notAdmin = run("users", "add", "carol", "--url", url, "--token", alice);
    assertEquals(1, notAdmin.code());
    assertTrue(notAdmin.err().contains("HTTP 403"), notAdmin.err());
  }

  @Test
  void everyCommandHasHelpAndABadArgumentIsAUsageError() {
    for (String command : List.of("send", "tail", "put", "get", "nodes", "users add", "admin reset-token",
        "admin upgrade-embedded-db")) {
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      Run help = run(args.toArray(String[]::new));
      assertEquals(0, help.code(), command);
      assertTrue(help.out().startsWith("Usage: tributary " + command), command + ": " + help.out());
    }
    Run bad = run("put", "x", "--type", "film");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--type") && bad.err().contains("document"), bad.err());
    Run noWait = run("tail", "live", "--idle-timeout", "0", "--url", url, "--token", alice);
    assertEquals(2, noWait.code());
    assertTrue(noWait.err().contains("--idle-timeout must be more than 0 seconds"), noWait.err());
    Run noToken = run("nodes", "--url", url);
    assertEquals(2, noToken.code());
    assertTrue(noToken.err().contains("no token: give --token"), noToken.err());
    Run unreachable = run("nodes", "--url", "http://127.0.0.1:1", "--token", admin);
    assertEquals(1, unreachable.code());
    assertTrue(unreachable.err().contains("cannot connect to http://127.0.0.1:1"), unreachable.err());
  }
}
