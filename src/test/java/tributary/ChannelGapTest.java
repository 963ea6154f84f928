package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import tributary.config.NodeConfig;
import tributary.support.ChannelWriters;
import tributary.support.Cluster;
import tributary.support.Http;
import tributary.support.OwnRedis;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import verticles.CoreProcessingVerticle;

/**
 * Q4: per client and channel, cursors strictly increase, no record comes twice and none is
 * missing: with many clients and concurrent writers through two core instances, across a Redis
 * flush, across a Redis restart, and across the loss of the node serving the client. Every test
 * asserts the exact sequence 1..N each client saw.
 */
class ChannelGapTest {
  private static final int BATCH = 5;

  private static String user(Http http, TestEnv env) {
    return http.createUser(env.adminToken, "reader-" + env.schema);
  }

  @Test
  void twentyClientsOnFiveChannelsSeeEveryRecordOnceWhileTwoCoresWrite() {
    TestEnv env = new TestEnv();
    Node node = await(Node.start(env.config("gap-a")));
    await(node.vertx().deployVerticle(CoreProcessingVerticle::new,
        new DeploymentOptions().setConfig(node.config().toJson())));
    Vertx clients = Vertx.vertx();
    HttpClient streams = clients.createHttpClient(new PoolOptions().setHttp1MaxSize(200));
    int port = node.config().httpPort();
    List<SseClient> open = new ArrayList<>();
    try (Http http = new Http(port)) {
      http.awaitReady(30_000);
      String token = user(http, env);
      Map<String, List<SseClient>> byChannel = new LinkedHashMap<>();
      for (int c = 0; c < 5; c++) {
        String channel = "gap-" + c;
        for (int client = 0; client < 20; client++) {
          SseClient sse = new SseClient(streams, port, "/v1/channels/" + channel + "/stream?after=0", token, null);
          open.add(sse);
          byChannel.computeIfAbsent(channel, k -> new ArrayList<>()).add(sse);
        }
      }
      List<Future<Void>> writes = new ArrayList<>();
      byChannel.keySet().forEach(channel -> writes.add(
          ChannelWriters.write(http, token, channel, 2, 40, BATCH, () -> { })));
      await(Future.all(writes));
      int expected = 40 * BATCH;
      byChannel.forEach((channel, sses) -> sses.forEach(sse -> {
        Http.awaitCondition(() -> sse.ids.size() >= expected, 30_000, channel + " fully delivered");
        assertTrue(sse.sawExactly(1, expected), channel + " ids " + sse.ids);
      }));
    } finally {
      open.forEach(SseClient::close);
      await(clients.close());
      await(node.stop());
      env.drop();
    }
  }

  /** Runs writers and readers on a node with its own Redis; {@code fault} strikes once readers are midway. */
  private static void survives(String what, Fault fault) throws Exception {
    TestEnv env = new TestEnv();
    try (OwnRedis redis = new OwnRedis()) {
      Map<String, String> settings = env.settings("gap-" + what);
      settings.put("redis-url", redis.url());
      Node node = await(Node.start(NodeConfig.from(settings)));
      int port = node.config().httpPort();
      List<SseClient> open = new ArrayList<>();
      try (Http http = new Http(port)) {
        http.awaitReady(30_000);
        String token = user(http, env);
        for (int i = 0; i < 3; i++) {
          open.add(new SseClient(port, "/v1/channels/" + what + "/stream?after=0", token, null));
        }
        int batches = 60;
        int expected = batches * BATCH;
        boolean[] struck = {false};
        IntSupplier seen = () -> open.stream().mapToInt(s -> s.ids.size()).min().orElse(0);
        Future<Void> writing = ChannelWriters.write(http, token, what, 2, batches, BATCH, () -> {
          if (!struck[0] && seen.getAsInt() >= expected / 3) {
            struck[0] = true;
            fault.strike(node.vertx(), redis);
          }
        });
        await(writing);
        assertTrue(struck[0], "the fault happened mid-stream");
        for (SseClient sse : open) {
          Http.awaitCondition(() -> sse.ids.size() >= expected, 30_000, "every record delivered after " + what);
          assertTrue(sse.sawExactly(1, expected), what + ": ids " + sse.ids);
        }
        try (SseClient late = new SseClient(port, "/v1/channels/" + what + "/stream?after=0", token, null)) {
          Http.awaitCondition(() -> late.ids.size() >= expected, 30_000, "a late reader catches up");
          assertTrue(late.sawExactly(1, expected));
        }
      } finally {
        open.forEach(SseClient::close);
        await(node.stop());
        env.drop();
      }
    }
  }

  /** Something done to Redis while records flow. */
  private interface Fault {
    void strike(Vertx vertx, OwnRedis redis);
  }

  @Test
  void aRedisFlushMidStreamLosesNothing() throws Exception {
    survives("flushed", (vertx, redis) -> {
      Redis client = Redis.createClient(vertx, redis.url());
      client.send(Request.cmd(Command.FLUSHALL)).onComplete(ar -> client.close());
    });
  }

  @Test
  void aRedisRestartMidStreamLosesNothing() throws Exception {
    survives("restarted", (vertx, redis) -> {
      try {
        redis.stop();
        // Records keep committing while Redis is away; readers take them from PostgreSQL.
        vertx.setTimer(1500, t -> {
          try {
            redis.start();
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aClientResumesOnAnotherNodeWhenItsNodeStops() {
    TestEnv env = new TestEnv();
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("pair-a", "edge,gateway,core,cache,management,console");
    roles.put("pair-b", "console");
    try (Cluster cluster = new Cluster(env)) {
      List<Node> nodes = cluster.start(roles, Map.of());
      int portA = nodes.get(0).config().httpPort();
      int portB = nodes.get(1).config().httpPort();
      try (Http a = new Http(portA); Http b = new Http(portB)) {
        a.awaitReady(30_000);
        b.awaitReady(30_000);
        String token = user(a, env);
        SseClient first = new SseClient(portB, "/v1/channels/handover/stream?after=0", token, null);
        int batches = 60;
        int expected = batches * BATCH;
        boolean[] stopped = {false};
        Future<Void> writing = ChannelWriters.write(a, token, "handover", 1, batches, BATCH, () -> {
          if (!stopped[0] && first.ids.size() >= expected / 3) {
            stopped[0] = true;
            nodes.get(1).stop();
          }
        });
        Http.awaitCondition(() -> first.ended, 30_000, "the serving node went away");
        SseClient second = new SseClient(portA, "/v1/channels/handover/stream", token, first.lastId());
        await(writing);
        Http.awaitCondition(() -> first.ids.size() + second.ids.size() >= expected, 30_000, "all delivered");
        List<Long> all = new ArrayList<>(first.ids);
        all.addAll(second.ids);
        assertEquals(expected, all.size(), "no record twice: " + all);
        for (int i = 0; i < expected; i++) {
          assertEquals(i + 1, all.get(i), "exact sequence across the handover");
        }
        first.close();
        second.close();
      }
    } finally {
      env.drop();
    }
  }
}
