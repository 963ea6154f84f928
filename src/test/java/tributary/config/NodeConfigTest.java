package tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @Test
  void defaultsGiveAnAllRolesNodeOnPort8080WithEmbeddedServers() {
    NodeConfig c = ConfigLoader.load(new String[0], Map.of());
    assertEquals(EnumSet.allOf(Role.class), c.roles());
    assertEquals(8080, c.httpPort());
    assertEquals(Path.of("./data"), c.dataDir());
    assertTrue(c.pgUrl().isEmpty());
    assertTrue(c.redisUrl().isEmpty());
    assertFalse(c.cluster());
    assertEquals("http://127.0.0.1:8080", c.publicUrl());
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"http-port\": 9001, \"site\": \"from-file\", \"node-id\": \"file-node\", "
        + "\"roles\": [\"edge\", \"console\"]}");
    NodeConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--http-port=9003"},
        Map.of("TRIBUTARY_HTTP_PORT", "9002", "TRIBUTARY_SITE", "from-env"));
    assertEquals(9003, c.httpPort());
    assertEquals("from-env", c.site());
    assertEquals("file-node", c.nodeId());
    assertEquals(EnumSet.of(Role.EDGE, Role.CONSOLE), c.roles());
  }

  @Test
  void everyBadValueIsNamedInOneError() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--http-port=abc", "--roles=edge,wizard", "--cluster=maybe", "--pg-url=mysql://x/y",
        "--redis-url=nohost", "--node-id=bad id!", "--pg-schema=Bad-Schema", "--max-body-bytes=5"}, Map.of()));
    List<String> problems = e.problems();
    assertProblem(problems, "http-port: must be an integer, got 'abc'");
    assertProblem(problems, "roles: unknown role 'wizard'");
    assertProblem(problems, "cluster: must be true or false, got 'maybe'");
    assertProblem(problems, "pg-url: must be a postgresql or postgres URL");
    assertProblem(problems, "redis-url:");
    assertProblem(problems, "node-id: must be letters");
    assertProblem(problems, "pg-schema: must be a lower-case SQL identifier");
    assertProblem(problems, "max-body-bytes: must be between 1024");
  }

  @Test
  void portsForAFirewallAreFixedByDefaultAndDerivedFromTheirNeighbours() {
    NodeConfig defaults = ConfigLoader.load(new String[0], Map.of());
    assertEquals(8090, defaults.storage().port(), "storage transfer beside the HTTP port");
    assertEquals(NodeConfig.AUTO_PORT, defaults.clusterBusPort());
    assertEquals(0, ConfigLoader.load(new String[] {"--http-port=0"}, Map.of()).storage().port());
    NodeConfig fixed = ConfigLoader.load(new String[] {"--storage-port=7000", "--cluster-bus-port=7001"}, Map.of());
    assertEquals(7000, fixed.storage().port());
    assertEquals(7001, fixed.clusterBusPort());
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--cluster-bus-port=soon", "--http-port=65530"}, Map.of())).problems();
    assertProblem(problems, "cluster-bus-port: must be an integer, got 'soon'");
    assertProblem(problems, "storage-port: auto would be http-port + 10 = 65540; give one");
  }

  @Test
  void logOptionsAreCheckedAtStart() {
    NodeConfig c = ConfigLoader.load(new String[] {"--log-level=debug", "--log-format=json", "--access-log=true"},
        Map.of());
    assertEquals("debug", c.logLevel());
    assertTrue(c.logJson());
    assertTrue(c.accessLog());
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--log-level=loud", "--log-format=xml"}, Map.of())).problems();
    assertProblem(problems, "log-level: must be trace, debug, info, warn or error, got 'loud'");
    assertProblem(problems, "log-format: must be text or json, got 'xml'");
  }

  @Test
  void aReadPoolNeedsAnExternalPrimaryAndTaskRetentionIsDaysOrZero() {
    NodeConfig c = ConfigLoader.load(new String[] {"--pg-url=postgresql://db:5432/t"},
        Map.of("TRIBUTARY_PG_READ_URL", "postgresql://replica:5432/t", "TRIBUTARY_TASK_RETENTION_DAYS", "0"));
    assertEquals(Optional.of("postgresql://replica:5432/t"), c.pgReadUrl());
    assertEquals(0, c.taskRetentionDays());
    assertEquals(30, ConfigLoader.load(new String[0], Map.of()).taskRetentionDays());
    assertEquals(Optional.empty(), ConfigLoader.load(new String[0], Map.of()).pgReadUrl());
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--pg-read-url=postgresql://replica:5432/t", "--task-retention-days=-1"}, Map.of())).problems();
    assertProblem(problems, "pg-read-url: needs pg-url, the primary it replicates (the embedded PostgreSQL has no "
        + "replica)");
    assertProblem(problems, "task-retention-days: must be between 0 and 36500, got -1");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--pg-url=postgresql://db:5432/t", "--pg-read-url=http://replica"}, Map.of())).problems(),
        "pg-read-url: must be a postgresql or postgres URL with a host, got 'http://replica'");
  }

  @Test
  void theAddressPoolTakesDistinctHttpUrlsOnly() {
    assertEquals(List.of("http://10.0.0.1:8080", "https://edge-2.example"), ConfigLoader.load(new String[] {
        "--address-pool=http://10.0.0.1:8080, https://edge-2.example"}, Map.of()).addressPool());
    List<String> problems = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--address-pool=10.0.0.1,http://a:1,http://a:1"}, Map.of())).problems();
    assertProblem(problems, "address-pool: must be a http or https URL with a host, got '10.0.0.1'");
    assertProblem(problems, "address-pool: names an address twice");
  }

  @Test
  void faultTimeoutsAreTypedAndBounded() {
    NodeConfig c = ConfigLoader.load(new String[] {"--redis-timeout-ms=250", "--pg-connect-timeout-ms=1500",
        "--http-idle-timeout-ms=5000"}, Map.of());
    assertEquals(250, c.redisTimeoutMs());
    assertEquals(1500, c.pgConnectTimeoutMs());
    assertEquals(5000, c.httpIdleTimeoutMs());
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--redis-timeout-ms=0", "--pg-connect-timeout-ms=x", "--http-idle-timeout-ms=5"}, Map.of()));
    assertProblem(e.problems(), "redis-timeout-ms: must be between 10");
    assertProblem(e.problems(), "pg-connect-timeout-ms: must be an integer");
    assertProblem(e.problems(), "http-idle-timeout-ms: must be between 100");
  }

  @Test
  void unknownFlagsAndMissingValuesAreRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new String[] {"--colour=blue", "--http-port"}, Map.of()));
    assertProblem(e.problems(), "colour: unknown option");
    assertProblem(e.problems(), "http-port: a value is needed");
  }

  @Test
  void clusterWithoutMembersOrMulticastIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new String[] {"--cluster=true"}, Map.of()));
    assertProblem(e.problems(), "cluster-members: needed when cluster=true");
    NodeConfig ok = ConfigLoader.load(new String[] {"--cluster=true", "--cluster-members=127.0.0.1:5701,10.0.0.2"},
        Map.of());
    assertEquals(List.of("127.0.0.1:5701", "10.0.0.2"), ok.clusterMembers());
  }

  @Test
  void unreadableOrMalformedFileIsReported(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{not json");
    assertProblem(assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new String[] {"--config=" + bad}, Map.of())).problems(), "config: " + bad + " is not");
    assertProblem(assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new String[] {"--config=" + dir.resolve("missing.json")}, Map.of())).problems(),
        "config: cannot read");
  }

  @Test
  void configSurvivesTheTripToAVerticle() {
    NodeConfig c = ConfigLoader.load(new String[] {"--roles=gateway,core", "--http-port=0", "--site=north"}, Map.of());
    NodeConfig back = NodeConfig.fromJson(c.toJson());
    assertEquals(c, back);
    assertEquals("north", back.with(Option.HTTP_PORT, "81").site());
  }

  @Test
  void helpListsEveryOption() {
    String help = ConfigLoader.help();
    for (Option o : Option.values()) {
      assertTrue(help.contains("--" + o.key()), o.key());
      assertTrue(help.contains(o.envName()), o.envName());
    }
    assertTrue(ConfigLoader.wantsHelp(new String[] {"--help"}));
  }

  @Test
  void redisModeTakesASeedListForAClusterAndAMasterNameForSentinels() {
    NodeConfig standalone = ConfigLoader.load(new String[] {"--redis-url=redis://r1:6379"}, Map.of());
    assertEquals(RedisMode.STANDALONE, standalone.redisMode());
    assertEquals(List.of("redis://r1:6379"), standalone.redisUrls());
    NodeConfig cluster = ConfigLoader.load(new String[] {"--redis-mode=cluster",
        "--redis-url=redis://r1:7000, redis://r2:7000,redis://r3:7000"}, Map.of());
    assertEquals(RedisMode.CLUSTER, cluster.redisMode());
    assertEquals(List.of("redis://r1:7000", "redis://r2:7000", "redis://r3:7000"), cluster.redisUrls());
    NodeConfig sentinel = ConfigLoader.load(new String[0], Map.of("TRIBUTARY_REDIS_MODE", "sentinel",
        "TRIBUTARY_REDIS_URL", "redis://s1:26379,redis://s2:26379", "TRIBUTARY_REDIS_MASTER_NAME", "mymaster"));
    assertEquals(RedisMode.SENTINEL, sentinel.redisMode());
    assertEquals(Optional.of("mymaster"), sentinel.redisMasterName());
    assertEquals(2, sentinel.redisUrls().size());
  }

  @Test
  void aRedisTopologyThatCannotWorkIsNamedAtStart() {
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis-mode=shards"},
        Map.of())).problems(), "redis-mode: must be standalone, cluster or sentinel, got 'shards'");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis-mode=sentinel",
        "--redis-url=redis://s1:26379"}, Map.of())).problems(), "redis-master-name: needed with redis-mode sentinel");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis-mode=cluster"},
        Map.of())).problems(), "redis-url: needed with redis-mode cluster");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--redis-url=redis://r1:6379,redis://r2:6379"}, Map.of())).problems(),
        "redis-url: one URL with redis-mode standalone");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--redis-mode=cluster",
        "--redis-url=redis://r1:7000,nohost"}, Map.of())).problems(), "redis-url: must be a redis or rediss URL");
    assertProblem(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {
        "--redis-master-name=mymaster"}, Map.of())).problems(),
        "redis-master-name: only used with redis-mode sentinel");
  }

  private static void assertProblem(List<String> problems, String start) {
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(start)), "expected a problem starting '" + start
        + "' in " + problems);
  }
}
