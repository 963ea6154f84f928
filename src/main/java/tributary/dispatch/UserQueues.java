package tributary.dispatch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import tributary.bus.Envelope;

/**
 * A user's dispatch queue (D5) is a channel of its own, {@code _user.{id}}: dense cursors per
 * user, a Redis stream backed by PostgreSQL, cursor reads and SSE with resume, as every channel
 * has. No client can post to it or name it in a channel route (channel names start with a letter
 * or digit); only its user and administrators read it.
 */
public final class UserQueues {
  private static final String PREFIX = "_user.";

  private UserQueues() {}

  public static String channel(String userId) {
    return PREFIX + userId;
  }

  public static boolean isUserQueue(String channel) {
    return channel.startsWith(PREFIX);
  }

  /**
   * The record a delivered task becomes in its user's queue. Its id comes from the task id, so a
   * task delivered twice (a retry after a lost answer) is stored once. Its payload is the item:
   * task id, sender, data type, level, content type, size and the data, inline as JSON when it is
   * JSON, else base64, or only by its body route when larger than {@code maxInlineBytes}.
   */
  public static Envelope envelope(DispatchMessages.Task task, String nodeId, int maxInlineBytes) {
    JsonObject item = new JsonObject().put("taskId", task.taskId()).put("sender", task.sender())
        .put("dataType", task.dataType()).put("level", task.level()).put("contentType", task.contentType())
        .put("size", task.payload().length);
    String text = inline(item, task, maxInlineBytes);
    String id = UUID.nameUUIDFromBytes(("tributary-dispatch\n" + task.taskId()).getBytes(StandardCharsets.UTF_8))
        .toString();
    return new Envelope(id, nodeId, channel(task.dest()), task.dataType(), task.level(), task.createdAt(),
        task.sender(), task.dest(), text, null);
  }

  private static String inline(JsonObject item, DispatchMessages.Task task, int maxInlineBytes) {
    if (task.payload().length > maxInlineBytes) {
      return item.put("inline", false).encode();
    }
    if (isJson(task.contentType())) {
      try {
        return item.copy().put("payload", Json.decodeValue(new String(task.payload(), StandardCharsets.UTF_8))).encode();
      } catch (DecodeException | EncodeException notJsonAfterAll) {
        // sent as JSON but not JSON (or nested beyond any writer): kept as bytes
      }
    }
    return item.put("payloadBase64", Base64.getEncoder().encodeToString(task.payload())).encode();
  }

  static boolean isJson(String contentType) {
    String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }
}
