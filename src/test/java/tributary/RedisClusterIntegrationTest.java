package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tributary.support.TestEnv.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.cache.CacheKeys;
import tributary.config.NodeConfig;
import tributary.support.ChannelWriters;
import tributary.support.Http;
import tributary.support.OwnRedisCluster;
import tributary.support.SseClient;
import tributary.support.TestEnv;
import tributary.support.TestNode;
import verticles.CoreProcessingVerticle;

/**
 * X2: a node on {@code --redis-mode=cluster} against a three-master Redis Cluster of the test's
 * own, with channels whose streams live on every master: readers see exactly 1..N, and the cache
 * cleaner trims and drops streams wherever they live.
 */
class RedisClusterIntegrationTest {
  private static final int BATCH = 5;
  private static OwnRedisCluster redis;

  @BeforeAll
  static void startRedisCluster() throws Exception {
    redis = new OwnRedisCluster();
  }

  @AfterAll
  static void stopRedisCluster() {
    redis.close();
  }

  /** The settings that put a node on the test's Redis Cluster, with {@code more} beside them. */
  private static Map<String, String> onTheCluster(Map<String, String> more) {
    Map<String, String> settings = new LinkedHashMap<>(more);
    settings.put("redis-mode", "cluster");
    settings.put("redis-url", redis.seeds());
    return settings;
  }

  /** One channel per master: names tried in turn until each master holds one's stream. */
  private static List<String> oneChannelPerMaster(CacheKeys keys, String name) {
    Map<Integer, String> byMaster = new LinkedHashMap<>();
    for (int i = 0; byMaster.size() < redis.ports.size(); i++) {
      String channel = name + "-" + i;
      byMaster.putIfAbsent(redis.masterOf(keys.channel(channel)), channel);
    }
    return new ArrayList<>(byMaster.values());
  }

  /** The masters on which a stream key of the run's prefix lives. */
  private static Set<Integer> mastersHoldingStreams(TestEnv env) {
    Set<Integer> holding = new HashSet<>();
    for (int port : redis.ports) {
      if (!redis.keysOn(port, new CacheKeys(env.redisPrefix).channelPattern()).isEmpty()) {
        holding.add(port);
      }
    }
    return holding;
  }

  /** Every cursor a reader paging with {@code after} sees, in order. */
  private static List<Long> cursorRead(Http http, String token, String channel) {
    List<Long> seen = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject page = http.get("/v1/channels/" + channel + "/records?after=" + after + "&limit=37", token)
          .bodyAsJsonObject();
      if (page.getJsonArray("records").isEmpty()) {
        return seen;
      }
      page.getJsonArray("records").forEach(r -> seen.add(((JsonObject) r).getLong("cursor")));
      after = page.getLong("next");
    }
  }

  private static JsonObject cache(Http http, String token, String channel) {
    return http.get("/v1/channels/" + channel, token).bodyAsJsonObject().getJsonObject("cache");
  }

  @Test
  void readersSeeEveryRecordOnceWithChannelsOnEveryMasterAndOneMasterFlushedMidStream() {
    TestEnv env = new TestEnv();
    CacheKeys keys = new CacheKeys(env.redisPrefix);
    List<String> channels = oneChannelPerMaster(keys, "spread");
    Map<String, String> settings = env.settings("redis-cluster-gap");
    settings.putAll(onTheCluster(Map.of()));
    Node node = await(Node.start(NodeConfig.from(settings)));
    await(node.vertx().deployVerticle(CoreProcessingVerticle::new,
        new DeploymentOptions().setConfig(node.config().toJson())));
    Vertx clients = Vertx.vertx();
    HttpClient streams = clients.createHttpClient(new PoolOptions().setHttp1MaxSize(50));
    int port = node.config().httpPort();
    List<SseClient> open = new ArrayList<>();
    try (Http http = new Http(port)) {
      http.awaitReady(30_000);
      String token = http.createUser(env.adminToken, "reader-" + env.schema);
      Map<String, List<SseClient>> byChannel = new LinkedHashMap<>();
      for (String channel : channels) {
        for (int client = 0; client < 5; client++) {
          SseClient sse = new SseClient(streams, port, "/v1/channels/" + channel + "/stream?after=0", token, null);
          open.add(sse);
          byChannel.computeIfAbsent(channel, k -> new ArrayList<>()).add(sse);
        }
      }
      int expected = 40 * BATCH;
      int flushed = redis.masterOf(keys.channel(channels.get(0)));
      AtomicBoolean struck = new AtomicBoolean();
      Runnable flushOnceAThirdIsRead = () -> {
        if (open.stream().mapToInt(sse -> sse.ids.size()).min().orElse(0) >= expected / 3
            && struck.compareAndSet(false, true)) {
          Redis master = Redis.createClient(clients, "redis://127.0.0.1:" + flushed);
          master.send(Request.cmd(Command.FLUSHALL)).onComplete(ar -> master.close());
        }
      };
      await(Future.all(channels.stream()
          .map(channel -> ChannelWriters.write(http, token, channel, 2, 40, BATCH, flushOnceAThirdIsRead)).toList()));
      assertTrue(struck.get(), "a master was flushed mid-stream");
      byChannel.forEach((channel, sses) -> sses.forEach(sse -> {
        Http.awaitCondition(() -> sse.ids.size() >= expected, 30_000, channel + " fully delivered");
        assertTrue(sse.sawExactly(1, expected), channel + " ids " + sse.ids);
      }));
      for (String channel : channels) {
        List<Long> read = cursorRead(http, token, channel);
        assertEquals(expected, read.size(), channel + ": " + read);
        for (int i = 0; i < expected; i++) {
          assertEquals(i + 1, read.get(i), channel + ": exact sequence by cursor");
        }
        // Not every entry: a batch that reaches Redis after a later one of its channel is refused
        // there and read from PostgreSQL (ChannelCache.append).
        Http.awaitCondition(() -> cache(http, token, channel).getLong("entries", 0L) > 0, 10_000,
            channel + " is cached in the cluster");
      }
      // Cache writes follow the 202 (issue 16), so they are waited for.
      Http.awaitCondition(() -> Set.copyOf(redis.ports).equals(mastersHoldingStreams(env)), 10_000,
          "streams on every master");
    } finally {
      open.forEach(SseClient::close);
      await(clients.close());
      await(node.stop());
      env.drop();
    }
  }

  @Test
  void clearCacheOfAllDropsThePrefixOnEveryMaster() {
    try (TestNode node = TestNode.start("redis-cluster-clear", onTheCluster(Map.of()))) {
      TestEnv env = node.env;
      Http http = node.http;
      List<String> channels = oneChannelPerMaster(new CacheKeys(env.redisPrefix), "cleared");
      for (String channel : channels) {
        assertEquals(202, http.postJson("/v1/channels/" + channel + "/records", env.adminToken, "{\"payload\":1}")
            .statusCode());
      }
      // Cache writes follow the 202 (issue 16), so they are waited for.
      Http.awaitCondition(() -> Set.copyOf(redis.ports).equals(mastersHoldingStreams(env)), 10_000,
          "streams on every master");
      JsonObject done = NodeStatusCommandsIntegrationTest.run(http, env.adminToken, "redis-cluster-clear",
          "{\"command\":\"clear-cache\",\"args\":{\"all\":true}}");
      assertEquals("done", done.getString("state"), done.encode());
      // Only streams are checked: the cleaner may take its lease again at any moment.
      assertEquals(Set.of(), mastersHoldingStreams(env), "no stream left on any master");
      for (String channel : channels) {
        assertEquals(1, http.get("/v1/channels/" + channel + "/records?after=0", env.adminToken).bodyAsJsonObject()
            .getJsonArray("records").size(), "read from PostgreSQL");
      }
    }
  }

  @Test
  void theCleanerTrimsAndDropsStreamsOnEveryMaster() {
    try (TestNode node = TestNode.start("redis-cluster-cleaner", onTheCluster(Map.of("cache-clean-period-ms", "200",
        "cache-ttl-min-ms", "1000", "cache-ttl-max-ms", "600000", "cache-idle-ms", "4000")))) {
      TestEnv env = node.env;
      Http http = node.http;
      CacheKeys keys = new CacheKeys(env.redisPrefix);
      List<String> trimmed = oneChannelPerMaster(keys, "short");
      List<String> idle = oneChannelPerMaster(keys, "idle");
      String token = http.createUser(env.adminToken, "keeper");
      for (String channel : idle) {
        assertEquals(202, http.postJson("/v1/channels/" + channel + "/records", token, "{\"payload\":1}").statusCode());
      }
      // Cache writes follow the 202 (issue 16), so they are waited for.
      Http.awaitCondition(() -> Set.copyOf(redis.ports).equals(mastersHoldingStreams(env)), 10_000,
          "streams on every master");
      for (String channel : trimmed) {
        for (int i = 0; i < 3; i++) {
          assertEquals(202, http.postJson("/v1/channels/" + channel + "/records", token, "{\"payload\":" + i + "}")
              .statusCode());
        }
        assertEquals(200, http.putJson("/v1/channels/" + channel + "/cache", token, "{\"ttlMs\":1000}").statusCode());
      }
      for (String channel : trimmed) {
        Http.awaitCondition(() -> cache(http, token, channel).getLong("entries") == 0, 15_000,
            channel + " trimmed on master " + redis.masterOf(keys.channel(channel)));
        assertEquals(3, http.get("/v1/channels/" + channel + "/records?after=0", token).bodyAsJsonObject()
            .getJsonArray("records").size(), "trimmed records come from PostgreSQL");
      }
      for (String channel : idle) {
        int master = redis.masterOf(keys.channel(channel));
        Http.awaitCondition(() -> redis.keysOn(master, keys.channel(channel)).isEmpty(), 15_000,
            channel + " dropped from master " + master);
      }
      Http.awaitCondition(() -> {
        http.get("/v1/channels/" + trimmed.get(0) + "/records?after=0", token);
        return cache(http, token, trimmed.get(0)).getDouble("readsPerMinute") > 0;
      }, 15_000, "read counts reach the cleaner's hashes, which share one slot");
      assertFalse(redis.keysOn(redis.masterOf(keys.readRates()), keys.readRates()).isEmpty());
    }
  }
}
