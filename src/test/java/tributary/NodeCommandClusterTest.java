package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tributary.node.NodeState;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * D9 on a cluster: two processes run as node "a" (as when a node is started twice by mistake), so
 * every notice and poll makes two agents fetch a's commands at once. Each command runs once.
 */
class NodeCommandClusterTest {
  private static final int COMMANDS = 20;

  private static boolean ready(Node node) {
    try (Http http = new Http(node.config().httpPort())) {
      return http.get("/ready", null).statusCode() == 200;
    } catch (AssertionError e) {
      return false;
    }
  }

  @Test
  void clearCacheOnAChannelRunsExactlyOnceWhenTwoNodesFetchAtOnce() {
    TestEnv env = new TestEnv();
    try (Cluster cluster = new Cluster(env)) {
      Map<String, String> roles = new LinkedHashMap<>();
      roles.put("a1", "management,edge,gateway,core,cache,console");
      roles.put("a2", "edge,gateway,core,cache,console");
      List<Node> twins = cluster.start(roles, Map.of("command-poll-ms", "50"),
          Map.of("a1", Map.of("node-id", "a"), "a2", Map.of("node-id", "a")));
      // Management gives the id to one of the two (E1); the API is used through that one, while both
      // agents still fetch a's commands.
      Http.awaitCondition(() -> twins.stream().anyMatch(NodeCommandClusterTest::ready), 30_000, "one twin registered");
      Node holder = twins.stream().filter(NodeCommandClusterTest::ready).findFirst().orElseThrow();
      try (Http http = new Http(holder.config().httpPort())) {
        String admin = env.adminToken;
        for (int i = 0; i < COMMANDS; i++) {
          assertEquals(202, http.postJson("/v1/channels/c" + i + "/records", admin, "{\"payload\":" + i + "}")
              .statusCode());
        }
        for (int i = 0; i < COMMANDS; i++) {
          String channel = "/v1/channels/c" + i;
          Http.awaitCondition(() -> http.get(channel, admin).bodyAsJsonObject().getJsonObject("cache")
              .getLong("entries") == 1, 10_000, channel + " cached");
        }

        List<Future<HttpResponse<Buffer>>> issued = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          issued.add(http.sendAsync(HttpMethod.POST, "/v1/nodes/a/commands", admin, "application/json",
              "{\"command\":\"clear-cache\",\"args\":{\"channel\":\"c" + i + "\"}}"));
        }
        await(Future.all(issued));
        issued.forEach(f -> assertEquals(201, f.result().statusCode(), f.result().bodyAsString()));

        Http.awaitCondition(() -> commands(http, admin).stream().allMatch(c -> c.getString("state").equals("done"))
            && commands(http, admin).size() == COMMANDS, 30_000, "every command done");
        Set<String> runners = new TreeSet<>();
        for (JsonObject c : commands(http, admin)) {
          String channel = c.getJsonObject("args").getString("channel");
          assertEquals("dropped 1 key of channel '" + channel + "'", c.getString("output"));
          runners.add(c.getString("runBy"));
          assertEquals(0, http.get("/v1/channels/" + channel, admin).bodyAsJsonObject().getJsonObject("cache")
              .getLong("entries"), channel + " dropped");
        }
        long done = twins.stream().mapToLong(n -> NodeState.gauges(n.vertx()).getOrDefault(NodeState.COMMANDS_DONE, 0L))
            .sum();
        long failed = twins.stream()
            .mapToLong(n -> NodeState.gauges(n.vertx()).getOrDefault(NodeState.COMMANDS_FAILED, 0L)).sum();
        assertEquals(COMMANDS, done, "each command ran once over both processes (run by " + runners + ")");
        assertEquals(0, failed);
      }
    } finally {
      env.drop();
    }
  }

  private static List<JsonObject> commands(Http http, String admin) {
    JsonArray list = http.get("/v1/nodes/a/commands?limit=100", admin).bodyAsJsonObject().getJsonArray("commands");
    return list.stream().map(JsonObject.class::cast).toList();
  }
}
