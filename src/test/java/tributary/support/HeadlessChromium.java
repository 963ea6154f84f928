package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol: it opens one page and evaluates
 * JavaScript in it. Started with the flags this sandbox needs (no sandbox, no background
 * networking, which the closed network refuses).
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private final Vertx vertx = Vertx.vertx();
  private final Process process;
  private final Path profile;
  private final WebSocket devtools;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

  public HeadlessChromium(String url) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: apt-get install -y chromium (.ci/run does)");
    }
    profile = Files.createTempDirectory("chromium-test");
    int port = TestEnv.freePort();
    process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=" + port, url)
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    WebClient http = WebClient.create(vertx);
    String[] target = new String[1];
    Http.awaitCondition(() -> {
      try {
        JsonArray pages = await(http.getAbs("http://127.0.0.1:" + port + "/json/list").send()).bodyAsJsonArray();
        pages.stream().map(JsonObject.class::cast).filter(p -> "page".equals(p.getString("type"))).findFirst()
            .ifPresent(p -> target[0] = p.getString("webSocketDebuggerUrl"));
        return target[0] != null;
      } catch (AssertionError notYet) {
        return false;
      }
    }, 30_000, "Chromium's DevTools endpoint");
    WebSocketClient ws = vertx.createWebSocketClient();
    devtools = await(ws.connect(new io.vertx.core.http.WebSocketConnectOptions().setAbsoluteURI(target[0])));
    devtools.textMessageHandler(text -> {
      JsonObject message = new JsonObject(text);
      Promise<JsonObject> p = message.containsKey("id") ? pending.remove(message.getInteger("id")) : null;
      if (p != null) {
        p.complete(message);
      }
    });
  }

  /** Evaluates a JavaScript expression in the page and returns its value (JSON-compatible). */
  /** Waits until the page at {@code origin} has loaded (the first target may still be about:blank). */
  public void awaitPage(String origin) {
    Http.awaitCondition(() -> {
      try {
        return Boolean.TRUE.equals(evaluate("location.href.startsWith('" + origin
            + "') && document.readyState === 'complete'"));
      } catch (AssertionError navigating) {
        return false;
      }
    }, 30_000, "the page " + origin + " loaded");
  }

  public Object evaluate(String expression) {
    int id = ids.incrementAndGet();
    Promise<JsonObject> answer = Promise.promise();
    pending.put(id, answer);
    devtools.writeTextMessage(new JsonObject().put("id", id).put("method", "Runtime.evaluate")
        .put("params", new JsonObject().put("expression", expression).put("returnByValue", true)).encode());
    JsonObject result = await(answer.future()).getJsonObject("result");
    if (result.containsKey("exceptionDetails")) {
      throw new AssertionError("page script failed: " + result.getJsonObject("exceptionDetails").encode());
    }
    return result.getJsonObject("result").getValue("value");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }
}
