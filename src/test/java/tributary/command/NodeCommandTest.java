package tributary.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import tributary.cache.CacheKeys;

class NodeCommandTest {
  private static NodeCommand parse(String json) {
    return NodeCommand.parse(new JsonObject(json));
  }

  private static String refusal(String json) {
    return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
  }

  @Test
  void clearCacheScopesNameOneKeyOrThePrefix() {
    CacheKeys keys = new CacheKeys("p:");
    assertEquals(keys.channel("c1"), parse("{\"command\":\"clear-cache\",\"args\":{\"channel\":\"c1\"}}").scope().key(keys));
    assertEquals(keys.userQueue("u1"), parse("{\"command\":\"clear-cache\",\"args\":{\"user\":\"u1\"}}").scope().key(keys));
    NodeCommand all = parse("{\"command\":\"clear-cache\",\"args\":{\"all\":true}}");
    assertNull(all.scope().key(keys));
    assertEquals(new JsonObject().put("all", true), all.args());
    assertEquals(NodeCommand.Kind.RESTART, parse("{\"command\":\"restart\"}").kind());
    assertEquals(NodeCommand.Kind.RELOAD_CONFIG, parse("{\"command\":\"reload-config\",\"args\":{}}").kind());
  }

  @Test
  void eachBadFieldIsNamed() {
    assertTrue(refusal("{\"command\":\"reboot\"}").startsWith("command must be one of"));
    assertTrue(refusal("{}").startsWith("command must be one of"));
    assertTrue(refusal("{\"command\":\"restart\",\"args\":[1]}").startsWith("args must be"));
    assertTrue(refusal("{\"command\":\"restart\",\"args\":{\"now\":true}}").startsWith("args: restart takes none"));
    assertTrue(refusal("{\"command\":\"restart\",\"when\":1}").startsWith("when: unknown field"));
    assertTrue(refusal("{\"command\":\"clear-cache\"}").startsWith("args: clear-cache takes exactly one"));
    assertTrue(refusal("{\"command\":\"clear-cache\",\"args\":{\"channel\":\"a\",\"user\":\"b\"}}")
        .startsWith("args: clear-cache takes exactly one"));
    assertTrue(refusal("{\"command\":\"clear-cache\",\"args\":{\"channel\":\"a b*\"}}").startsWith("args.channel"));
    assertTrue(refusal("{\"command\":\"clear-cache\",\"args\":{\"all\":false}}").startsWith("args.all must be true"));
  }

  @Test
  void aCommandIsClaimedOnceAndEndsOnce() {
    assertTrue(CommandState.QUEUED.mayBecome(CommandState.RUNNING));
    assertTrue(CommandState.RUNNING.mayBecome(CommandState.DONE));
    assertTrue(CommandState.RUNNING.mayBecome(CommandState.FAILED));
    assertFalse(CommandState.RUNNING.mayBecome(CommandState.RUNNING), "a running command cannot be claimed again");
    assertFalse(CommandState.QUEUED.mayBecome(CommandState.DONE));
    assertFalse(CommandState.DONE.mayBecome(CommandState.FAILED));
    assertEquals(CommandState.FAILED, CommandState.parse("failed"));
  }
}
