package tributary.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.DroppingProxy;
import tributary.support.HeadlessChromium;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * Q3 in a real browser: headless Chromium's own EventSource follows a channel; the connection is
 * cut mid-stream; the browser reconnects by itself with Last-Event-ID, and the ids the page
 * received are exactly 1..N.
 */
class BrowserEventSourceTest {

  @Test
  void chromiumResumesAfterADroppedConnectionWithoutGapsOrRepeats() throws Exception {
    try (TestNode node = TestNode.start("browser-node", Map.of());
        DroppingProxy proxy = new DroppingProxy(node.port());
        HeadlessChromium chromium = new HeadlessChromium("http://127.0.0.1:" + proxy.port() + "/")) {
      String token = node.http.createUser(node.env.adminToken, "browser-user");
      String origin = "http://127.0.0.1:" + proxy.port() + "/";
      chromium.awaitPage(origin);
      chromium.evaluate("window.seen = []; window.opens = 0;"
          + "window.source = new EventSource('/v1/channels/browser/stream?after=0&access_token=" + token + "');"
          + "window.source.onopen = () => window.opens++;"
          + "window.source.addEventListener('record', e => window.seen.push(Number(e.lastEventId))); 'ok'");
      post(node, 20);
      Http.awaitCondition(() -> seen(chromium).size() >= 20, 20_000, "the first records in the page");

      proxy.dropAll();
      post(node, 20);
      Http.awaitCondition(() -> seen(chromium).size() >= 40, 30_000, "the browser reconnected and caught up");
      JsonArray ids = seen(chromium);
      assertEquals(40, ids.size(), "no record twice: " + ids);
      for (int i = 0; i < 40; i++) {
        assertEquals(i + 1, ids.getInteger(i), "exact ids 1..40: " + ids);
      }
      assertTrue(((Number) chromium.evaluate("window.opens")).intValue() >= 2, "the browser reconnected by itself");
    }
  }

  private static void post(TestNode node, int n) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < n; i++) {
      body.append("{\"payload\":").append(i).append("}\n");
    }
    assertEquals(202, node.http.send(io.vertx.core.http.HttpMethod.POST, "/v1/channels/browser/records",
        node.env.adminToken, "application/x-ndjson", body.toString()).statusCode());
  }

  private static JsonArray seen(HeadlessChromium chromium) {
    return new JsonArray(String.valueOf(chromium.evaluate("JSON.stringify(window.seen)")));
  }
}
