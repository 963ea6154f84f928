package tributary.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tributary.bus.Envelope;

class UserQueuesTest {
  private static DispatchMessages.Task task(String id, String contentType, byte[] payload) {
    return new DispatchMessages.Task(id, "alice", "bob", "reading", 2, contentType, payload, 1_000, 1);
  }

  @Test
  void aTaskBecomesARecordInItsUsersQueueKeyedByItsTaskId() {
    Envelope e = UserQueues.envelope(task("1_1_000001", "application/json", "{\"t\":1}".getBytes()), "node-b", 100);
    assertEquals("_user.bob", e.channel());
    assertEquals(e.id(), UserQueues.envelope(task("1_1_000001", "text/plain", new byte[0]), "node-c", 100).id(),
        "the same task is the same record wherever it is delivered");
    assertNotEquals(e.id(), UserQueues.envelope(task("1_1_000002", "application/json", new byte[0]), "n", 100).id());
    JsonObject item = new JsonObject(e.payload());
    assertEquals(new JsonObject().put("t", 1), item.getJsonObject("payload"));
    assertEquals("alice", item.getString("sender"));
    assertEquals(7, item.getInteger("size"));
    assertEquals(2, e.priority());
  }

  @Test
  void dataIsInlineAsJsonAsBase64OrNotAtAllBySize() {
    byte[] bytes = {0, (byte) 0xff, 10};
    JsonObject binary = new JsonObject(UserQueues.envelope(task("1_1_000001", "image/png", bytes), "n", 100).payload());
    assertEquals(Base64.getEncoder().encodeToString(bytes), binary.getString("payloadBase64"));
    JsonObject notJson = new JsonObject(UserQueues.envelope(task("1_1_000001", "application/vnd.x+json; charset=utf-8",
        "{oops".getBytes(StandardCharsets.UTF_8)), "n", 100).payload());
    assertTrue(notJson.containsKey("payloadBase64"), "sent as JSON but not JSON: kept as bytes");
    JsonObject large = new JsonObject(UserQueues.envelope(task("1_1_000001", "text/plain", new byte[101]), "n", 100)
        .payload());
    assertFalse(large.getBoolean("inline"));
    assertFalse(large.containsKey("payload") || large.containsKey("payloadBase64"));
    assertTrue(UserQueues.isUserQueue("_user.bob") && !UserQueues.isUserQueue("user.bob"));
  }
}
