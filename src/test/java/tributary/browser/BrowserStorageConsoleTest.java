package tributary.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.HeadlessChromium;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * The console's storage panel in headless Chromium (C1, S2, S8): it lists the storage nodes,
 * uploads a file chosen in the page, and looks up the blob's provenance with its copies.
 */
class BrowserStorageConsoleTest {

  @Test
  void theConsoleUploadsAFileAndShowsWhereItsCopiesAre() throws Exception {
    try (TestNode node = TestNode.start("console-node", Map.of("storage-heartbeat-ms", "200", "task-poll-ms", "200"));
        HeadlessChromium chromium = new HeadlessChromium("http://127.0.0.1:" + node.port() + "/")) {
      String token = node.http.createUser(node.env.adminToken, "operator");
      String origin = "http://127.0.0.1:" + node.port() + "/";
      chromium.awaitPage(origin);
      chromium.evaluate("document.getElementById('token').value = '" + token + "';"
          + "document.getElementById('login').requestSubmit(); 'ok'");
      Http.awaitCondition(() -> number(chromium, "document.querySelectorAll('#stores tbody tr').length") == 3,
          20_000, "three storage nodes in the table");

      chromium.evaluate("const data = new DataTransfer();"
          + "data.items.add(new File(['hello from the console '.repeat(1000)], 'hello.txt', {type: 'text/plain'}));"
          + "document.getElementById('file').files = data.files;"
          + "document.getElementById('blob-type').value = 'document';"
          + "document.getElementById('upload').requestSubmit(); 'ok'");
      Http.awaitCondition(() -> String.valueOf(chromium.evaluate("document.getElementById('upload-result')"
          + ".textContent")).contains("23000 bytes"), 20_000, "the upload acknowledged in the page");
      Http.awaitCondition(() -> {
        chromium.evaluate("document.getElementById('lookup').requestSubmit(); 'ok'");
        return number(chromium, "document.querySelectorAll('#copies tbody tr td.healthy').length") == 3;
      }, 20_000, "three healthy copies shown for the blob");
      String lineage = String.valueOf(chromium.evaluate("document.getElementById('lineage').textContent"));
      assertTrue(lineage.contains("\"kind\": \"blob\"") && lineage.contains("hello.txt"), lineage);
      assertEquals("", chromium.evaluate("document.getElementById('storage-error').textContent"));
    }
  }

  private static int number(HeadlessChromium chromium, String expression) {
    return ((Number) chromium.evaluate(expression)).intValue();
  }
}
