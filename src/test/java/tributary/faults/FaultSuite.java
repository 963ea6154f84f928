package tributary.faults;

import static tributary.support.TestEnv.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import tributary.auth.Tokens;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.OwnPostgres;
import tributary.support.OwnRedis;
import tributary.support.TestEnv;

/**
 * The multi-process fault suite (X5, Q4, S4, S5): three Tributary nodes in JVMs of their own on
 * loopback, clustered over TCP under a random cluster name, on a PostgreSQL and a Redis of the
 * suite's own (free ports, never the shared 5432/6379). Writers and SSE readers run throughout;
 * faults strike one after another, each held until what it touched is back; then the writers stop,
 * the stores settle, and the {@link FaultChecker} compares the clients' log with the stores.
 *
 * <pre>
 *   hub     edge,console,management,cache,gateway,core,dispatch,storage (3 stores)  never killed
 *   relay   edge,console,cache,gateway                                            the second gateway and face
 *   worker  console,core,dispatch,storage (2 stores)                               the second core and worker
 * </pre>
 * Writers and readers use the hub's and the relay's HTTP faces; the worker's console only answers /ready.
 */
final class FaultSuite implements AutoCloseable {
  static final List<String> CHANNELS = List.of("fault-a", "fault-b");
  /** Storage nodes count a store down after this much silence; Hazelcast drops a member after 8 s. */
  static final long STORAGE_DOWN_MS = 3_000;
  private static final long SSE_SILENCE_MS = 5_000;

  final Path runDir;
  private final String adminToken = Tokens.generate();
  private final OwnPostgres postgres;
  private final OwnRedis redis;
  final NodeProcess hub;
  final NodeProcess relay;
  final NodeProcess worker;
  private final List<NodeProcess> nodes;
  private final Vertx vertx = Vertx.vertx();
  private final Http hubHttp;
  private final AckLog log;
  private final Pool pg;
  private Writers writers;
  private long loadStartedAt;
  private final List<ResumingReader> readers = new ArrayList<>();
  private final Map<String, String> tokens = new HashMap<>();
  private final StringBuilder journal = new StringBuilder();

  FaultSuite(Path runDir) throws IOException {
    this.runDir = runDir;
    Files.createDirectories(runDir);
    postgres = new OwnPostgres(runDir.resolve("postgres"));
    redis = new OwnRedis();
    List<Integer> clusterPorts = List.of(TestEnv.freePort(), TestEnv.freePort(), TestEnv.freePort());
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    String clusterName = "faults-" + UUID.randomUUID();
    hub = node("hub", "edge,console,management,cache,gateway,core,dispatch,storage", 3, clusterPorts.get(0), members,
        clusterName);
    relay = node("relay", "edge,console,cache,gateway", 0, clusterPorts.get(1), members, clusterName);
    worker = node("worker", "console,core,dispatch,storage", 2, clusterPorts.get(2), members, clusterName);
    nodes = List.of(hub, relay, worker);
    // Should this JVM be stopped before close(), the node JVMs do not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(NodeProcess::close), "fault-suite-nodes"));
    hubHttp = new Http(hub.httpPort);
    log = new AckLog(runDir.resolve("acks.jsonl"));
    pg = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(postgres.url())).using(vertx).build();
  }

  private NodeProcess node(String id, String roles, int stores, int clusterPort, String members, String clusterName) {
    int httpPort = TestEnv.freePort();
    Map<String, String> o = new LinkedHashMap<>();
    o.put("node-id", id);
    o.put("site", "site-" + id);
    o.put("roles", roles);
    o.put("http-host", "127.0.0.1");
    o.put("http-port", String.valueOf(httpPort));
    o.put("storage-port", "0");
    o.put("data-dir", runDir.resolve(id).toString());
    o.put("pg-url", postgres.url());
    o.put("pg-schema", "tributary");
    o.put("redis-url", redis.url());
    o.put("redis-prefix", "faults:");
    o.put("cluster", "true");
    o.put("cluster-port", String.valueOf(clusterPort));
    o.put("cluster-bus-port", "0");
    o.put("cluster-members", members);
    o.put("cluster-name", clusterName);
    o.put("forward-timeout-ms", "1000");
    o.put("sse-heartbeat-ms", "1000");
    if (stores > 0) {
      o.put("storage-nodes", String.valueOf(stores));
    }
    o.put("storage-heartbeat-ms", "500");
    o.put("storage-down-ms", String.valueOf(STORAGE_DOWN_MS));
    o.put("storage-min-free-mib", "16");
    o.put("task-poll-ms", "300");
    o.put("scrub-period-ms", "30000");
    o.put("dispatch-retry-base-ms", "100");
    o.put("dispatch-retry-max-ms", "1000");
    o.put("dispatch-topology-refresh-ms", "1000");
    o.put("status-period-ms", "2000");
    // The administrator token comes from the environment, never from a flag that ps shows.
    return new NodeProcess(id, roles, httpPort, runDir.resolve(id), o, Map.of("TRIBUTARY_ADMIN_TOKEN", adminToken),
        runDir.resolve(id + ".log"));
  }

  void say(String line) {
    String stamped = String.format("%tT %s", System.currentTimeMillis(), line);
    System.out.println(stamped);
    journal.append(stamped).append('\n');
  }

  // ---- start

  /** Starts the three JVMs, waits for them, makes the users and binds them to the two dispatch workers. */
  void start() throws IOException {
    for (NodeProcess n : nodes) {
      n.start();
    }
    for (NodeProcess n : nodes) {
      awaitReady(n, 120_000);
    }
    awaitCondition(() -> storageHealth().getLong("nodesUp") == 5, 60_000, "five storage nodes up");
    awaitCondition(() -> liveWorkers().size() == 2, 60_000, "two live dispatch workers");
    Map<String, Integer> workerNumbers = new HashMap<>();
    liveWorkers().forEach(w -> workerNumbers.put(w.getString("node"), w.getInteger("number")));
    for (String user : List.of("writer", "ann", "bob", "cid")) {
      tokens.put(user, hubHttp.createUser(adminToken, user));
    }
    bind("ann", workerNumbers.get("hub"));
    bind("bob", workerNumbers.get("worker"));
    bind("cid", workerNumbers.get("hub"));
    say("cluster up: " + nodes.stream().map(n -> n.nodeId + " pid " + n.pid() + " :" + n.httpPort + " (" + n.roles
        + ")").toList());
  }

  private void bind(String user, int workerNumber) {
    var r = hubHttp.putJson("/v1/users/" + user + "/worker", adminToken, new JsonObject().put("worker", workerNumber)
        .encode());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("binding " + user + ": " + r.statusCode() + " " + r.bodyAsString());
    }
  }

  private List<JsonObject> liveWorkers() {
    return hubHttp.get("/v1/topology", adminToken).bodyAsJsonObject().getJsonArray("workers").stream()
        .map(JsonObject.class::cast).filter(w -> "live".equals(w.getString("state"))).toList();
  }

  JsonObject storageHealth() {
    return hubHttp.get("/v1/storage/health", adminToken).bodyAsJsonObject();
  }

  void awaitReady(NodeProcess n, long timeoutMs) {
    try (Http http = new Http(n.httpPort)) {
      awaitCondition(() -> {
        if (!n.alive()) {
          throw new IllegalStateException(n.nodeId + " exited; see " + n.log());
        }
        try {
          return http.get("/ready", null).statusCode() == 200;
        } catch (AssertionError notYet) {
          return false;
        }
      }, timeoutMs, n.nodeId + " ready");
    }
  }

  static void awaitCondition(BooleanSupplier condition, long timeoutMs, String what) {
    Http.awaitCondition(() -> {
      try {
        return condition.getAsBoolean();
      } catch (AssertionError | RuntimeException e) {
        if (e instanceof IllegalStateException) {
          throw e;
        }
        return false;
      }
    }, timeoutMs, what);
  }

  // ---- load

  List<Integer> faces() {
    return List.of(hub.httpPort, relay.httpPort);
  }

  /** Two record writers per channel (one on each face), a task writer, a blob writer, two SSE readers per channel. */
  void startLoad() {
    loadStartedAt = System.currentTimeMillis();
    writers = new Writers(vertx, faces(), log);
    HttpClient sse = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(16));
    int face = 0;
    for (String channel : CHANNELS) {
      for (int r = 0; r < 2; r++) {
        ResumingReader reader = new ResumingReader(vertx, sse, channel + "-reader-" + r, channel, tokens.get("writer"),
            faces(), face++, log, SSE_SILENCE_MS);
        readers.add(reader);
        reader.start();
      }
      writers.records(channel + "-w0", channel, tokens.get("writer"), 0);
      writers.records(channel + "-w1", channel, tokens.get("writer"), 1);
    }
    writers.tasks("ann", tokens.get("ann"), List.of("bob", "cid"), 0);
    writers.blobs(tokens.get("writer"), 0, 13);
  }

  /**
   * Waits until the first writes are acknowledged, and logs that time apart (as a window named
   * warm-up) so that a cluster just started does not count among the waits outside faults.
   */
  void warmUp() {
    awaitFlowing(40, 60_000, "writes flowing before the faults");
    log.fault("warm-up", "the first writes on the cluster just started; not a fault", loadStartedAt,
        System.currentTimeMillis());
  }

  /** Waits until the writers got {@code n} more acknowledgements: the system is taking writes. */
  void awaitFlowing(long n, long timeoutMs, String what) {
    long from = writers.acks.get();
    awaitCondition(() -> writers.acks.get() >= from + n, timeoutMs, what);
  }

  // ---- faults

  /** A fault: strikes, and returns once what it touched is back. */
  interface Fault {
    void run(FaultSuite suite) throws Exception;
  }

  /** Runs one fault, logs its window, then waits until writes flow again before the next. */
  void strike(String name, String what, Fault fault) throws Exception {
    say("fault " + name + ": " + what);
    long from = System.currentTimeMillis();
    fault.run(this);
    long to = System.currentTimeMillis();
    awaitFlowing(20, 60_000, "writes flowing after " + name);
    log.fault(name, what, from, to);
    say("fault " + name + " over after " + (to - from) + " ms");
  }

  void killAndRestart(NodeProcess n) throws Exception {
    n.kill9();
    n.start();
    awaitReady(n, 120_000);
    awaitTasksFlowing();
  }

  /** Dispatch is back: every task acknowledged over 5 s ago has been delivered. */
  void awaitTasksFlowing() {
    awaitCondition(() -> undeliveredTasks(System.currentTimeMillis() - 5_000) == 0, 90_000,
        "tasks acknowledged over 5 s ago delivered");
  }

  /** SIGKILL, held down until its stores are marked down and their blobs repaired elsewhere, then started again. */
  void killHoldAndRestart(NodeProcess n, int stores) throws Exception {
    n.kill9();
    awaitCondition(() -> storageHealth().getLong("nodesDown") >= stores, 30_000, n.nodeId + "'s stores marked down");
    awaitRepaired(60_000, "blobs repaired while " + n.nodeId + " is down");
    n.start();
    awaitReady(n, 120_000);
    awaitCondition(() -> storageHealth().getLong("nodesDown") == 0, 30_000, n.nodeId + "'s stores up again");
    awaitTasksFlowing();
  }

  /**
   * Waits until no blob stored over 10 s ago is below its copy count. (With uploads going on, some
   * blob is always just stored with two copies and waiting for its third.)
   */
  void awaitRepaired(long timeoutMs, String what) {
    try {
      awaitCondition(() -> underReplicated(System.currentTimeMillis() - 10_000) == 0, timeoutMs, what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; below their copy count: " + underReplicatedCopies(), e);
    }
  }

  /** The copies of a few blobs below their copy count, for a failure message. */
  private List<String> underReplicatedCopies() {
    List<String> out = new ArrayList<>();
    await(pg.query("SELECT b.blob_id, b.copies, b.created_at, string_agg(c.store_id || ':' || c.state || ':' || "
        + "n.state, ' ') FROM tributary.blobs b LEFT JOIN tributary.blob_copies c ON c.blob_id = b.blob_id LEFT JOIN "
        + "tributary.storage_nodes n ON n.store_id = c.store_id WHERE b.state = 'live' GROUP BY b.blob_id HAVING "
        + "count(c.store_id) FILTER (WHERE c.state = 'healthy' AND n.state = 'up') < b.copies LIMIT 5").execute())
        .forEach(r -> out.add(r.getString(0) + " (" + r.getInteger(1) + " copies, created " + r.getLong(2) + "): "
            + r.getString(3)));
    return out;
  }

  /** Live blobs created before {@code createdBefore} with fewer healthy copies on up nodes than they should have. */
  private long underReplicated(long createdBefore) {
    return await(pg.preparedQuery("SELECT count(*) FROM (SELECT b.copies, count(c.store_id) FILTER (WHERE "
        + "c.state = 'healthy' AND n.state = 'up') AS readable FROM tributary.blobs b LEFT JOIN tributary.blob_copies c "
        + "ON c.blob_id = b.blob_id LEFT JOIN tributary.storage_nodes n ON n.store_id = c.store_id WHERE b.state = "
        + "'live' AND b.created_at < $1 GROUP BY b.blob_id, b.copies) x WHERE readable < copies")
        .execute(Tuple.of(createdBefore))).iterator().next().getLong(0);
  }

  /** SIGSTOP past the storage and Hazelcast heartbeat timeouts (3 s and 8 s), then SIGCONT. */
  void freezeAndThaw(NodeProcess n, long holdMs) {
    long until = System.currentTimeMillis() + holdMs;
    n.freeze();
    try {
      awaitCondition(() -> storageHealth().getLong("nodesDown") >= 2, 30_000, n.nodeId + "'s stores marked down");
      awaitCondition(() -> System.currentTimeMillis() >= until, holdMs + 1_000, "the freeze held " + holdMs + " ms");
    } finally {
      n.thaw();
    }
    awaitReady(n, 120_000);
    awaitCondition(() -> storageHealth().getLong("nodesDown") == 0, 60_000, n.nodeId + "'s stores up again");
    awaitTasksFlowing();
  }

  void restartRedis(long downMs) throws IOException {
    redis.stop();
    long until = System.currentTimeMillis() + downMs;
    awaitCondition(() -> System.currentTimeMillis() >= until, downMs + 1_000, "Redis down " + downMs + " ms");
    redis.start();
    awaitReady(hub, 60_000);
  }

  void flushRedis() {
    Redis client = Redis.createClient(vertx, redis.url());
    try {
      await(client.send(Request.cmd(Command.FLUSHALL)));
    } finally {
      client.close();
    }
  }

  void restartPostgres() throws IOException {
    postgres.restart();
    awaitReady(hub, 60_000);
  }

  /**
   * Flips one byte in the middle of one stored copy; scrub must find and replace it. The copy is
   * the one scrub will look at next (the longest unverified on a live node): scrub takes at most
   * 16 copies a pass, so a fresh copy could wait behind hundreds.
   */
  void flipAByte() throws Exception {
    Row next = await(pg.query("SELECT c.blob_id, c.store_id, n.host_node, c.path, c.created_at FROM "
        + "tributary.blob_copies c JOIN tributary.storage_nodes n ON n.store_id = c.store_id JOIN tributary.blobs b ON "
        + "b.blob_id = c.blob_id WHERE c.state = 'healthy' AND n.state = 'up' AND b.state = 'live' "
        + "ORDER BY c.verified_at LIMIT 1").execute()).iterator().next();
    String id = next.getString(0);
    JsonObject copy = new JsonObject().put("node", next.getString(1)).put("hostNode", next.getString(2))
        .put("path", next.getString(3)).put("createdAt", next.getLong(4));
    // A copy's path is relative to its store's folder, data-dir/blobs/<store> on its host node.
    Path file = runDir.resolve(copy.getString("hostNode")).resolve("blobs").resolve(copy.getString("node"))
        .resolve(copy.getString("path"));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long at = raf.length() / 2;
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x5a);
    }
    say("flipped a byte of " + id + "'s copy on " + copy.getString("node") + " (" + file + ")");
    String node = copy.getString("node");
    try {
      awaitCondition(() -> hubHttp.get("/v1/blobs/" + id + "/meta", adminToken).bodyAsJsonObject()
              .getJsonArray("copies").stream().map(JsonObject.class::cast)
              .noneMatch(c -> c.getString("node").equals(node) && c.getString("state").equals("healthy")
                  && c.getLong("createdAt").equals(copy.getLong("createdAt"))), 90_000,
          "scrub finds the flipped copy of " + id + " on " + node);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the blob now: "
          + hubHttp.get("/v1/blobs/" + id + "/meta", adminToken).bodyAsString(), e);
    }
    awaitRepaired(60_000, "the corrupt copy of " + id + " replaced");
  }

  /** Makes one of the hub's store folders immutable (chattr +i, which binds root too) for {@code holdMs}. */
  void unwritableFolder(long holdMs) throws Exception {
    Path folder = hub.dataDir.resolve("blobs").resolve("hub-s1");
    chattr("+i", folder);
    try {
      long until = System.currentTimeMillis() + holdMs;
      awaitFlowing(10, holdMs + 30_000, "writes flowing while " + folder + " is unwritable");
      awaitCondition(() -> System.currentTimeMillis() >= until, holdMs + 1_000, folder + " unwritable " + holdMs
          + " ms");
    } finally {
      chattr("-i", folder);
    }
    awaitRepaired(60_000, "every blob at its copy count once " + folder + " is writable");
  }

  static void chattr(String flag, Path folder) throws IOException, InterruptedException {
    if (!Files.exists(folder)) {
      return;
    }
    Process p = new ProcessBuilder("chattr", "-R", flag, folder.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("chattr " + flag + " " + folder + ": " + out);
    }
  }

  // ---- finish and check

  /** Stops the writers, lets the stores settle (readers caught up, tasks delivered, blobs repaired), then checks. */
  FaultChecker.Report finish() throws IOException {
    await(writers.stop());
    say("writers stopped: " + writers.acks.get() + " acknowledgements; other answers " + writers.otherAnswers);
    Map<String, Long> last = lastCursors();
    settle(() -> readers.stream().allMatch(r -> r.lastId() >= last.getOrDefault(r.channel(), 0L)),
        "every SSE reader caught up with " + last);
    settle(() -> undeliveredTasks(Long.MAX_VALUE) == 0, "every acknowledged task delivered");
    settle(() -> {
      JsonObject h = storageHealth();
      return h.getLong("healthy").equals(h.getLong("blobs")) && h.getLong("nodesDown") == 0;
    }, "every blob at its copy count");
    readers.forEach(ResumingReader::close);
    say("readers: " + readers.stream().map(r -> r.name() + " at " + r.lastId() + " after " + r.reconnects
        + " reconnects").toList());
    return check();
  }

  /** Waits for a condition the checker will judge anyway: a timeout is noted, not thrown. */
  private void settle(BooleanSupplier condition, String what) {
    try {
      awaitCondition(condition, 90_000, what);
    } catch (AssertionError e) {
      say("did not settle: " + e.getMessage());
    }
  }

  FaultChecker.Report check() throws IOException {
    return check("report.txt");
  }

  /** Runs the checker on the log and the stores as they are now; writes the journal and its output to {@code file}. */
  FaultChecker.Report check(String file) throws IOException {
    FaultChecker.Report report = FaultChecker.check(AckLog.read(log.file()), snapshot());
    Files.writeString(runDir.resolve(file), journal + report.print());
    return report;
  }

  private Map<String, Long> lastCursors() {
    Map<String, Long> out = new HashMap<>();
    await(pg.preparedQuery("SELECT channel, last_cursor FROM tributary.channels WHERE channel = ANY($1)")
        .execute(Tuple.of(CHANNELS.toArray(new String[0])))).forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  /** Tasks acknowledged before {@code ackedBefore} and not delivered yet. */
  private long undeliveredTasks(long ackedBefore) {
    Set<String> acked = new java.util.HashSet<>();
    try {
      AckLog.read(log.file()).stream().filter(l -> l.getString("k").equals(AckLog.TASK))
          .filter(l -> l.getLong("acked") < ackedBefore).forEach(l -> acked.add(l.getString("task")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Row r = await(pg.preparedQuery("SELECT count(*) FROM tributary.dispatch_tasks WHERE task_id = ANY($1) AND state "
        + "NOT IN ('delivered', 'consumed')").execute(Tuple.of(acked.toArray(new String[0])))).iterator().next();
    return r.getLong(0);
  }

  /** What the stores hold: records and tasks from the suite's PostgreSQL, blobs through the HTTP API. */
  StoreSnapshot snapshot() throws IOException {
    Map<String, StoreSnapshot.Row> records = new HashMap<>();
    Map<String, Integer> markers = new HashMap<>();
    for (Row r : await(pg.preparedQuery("SELECT record_id::text, channel, cursor, payload FROM tributary.records "
        + "WHERE channel = ANY($1)").execute(Tuple.of(CHANNELS.toArray(new String[0]))))) {
      records.put(r.getString(0), new StoreSnapshot.Row(r.getString(1), r.getLong(2)));
      String marker = new JsonObject(r.getString(3)).getString("m");
      markers.merge(marker == null ? "(none)" : marker, 1, Integer::sum);
    }
    Map<String, String> taskStates = new HashMap<>();
    Map<String, Integer> taskMarkers = new HashMap<>();
    for (Row r : await(pg.query("SELECT t.task_id, t.state, convert_from(p.payload, 'UTF8') FROM "
        + "tributary.dispatch_tasks t LEFT JOIN tributary.dispatch_payloads p USING (task_id)").execute())) {
      taskStates.put(r.getString(0), r.getString(1));
      taskMarkers.merge(String.valueOf(r.getString(2)), 1, Integer::sum);
    }
    Map<String, StoreSnapshot.Blob> blobs = new HashMap<>();
    try (BlobClient client = new BlobClient(hub.httpPort)) {
      for (JsonObject ack : AckLog.read(log.file())) {
        if (!ack.getString("k").equals(AckLog.BLOB)) {
          continue;
        }
        String id = ack.getString("blob");
        BlobClient.Reply meta = client.send(io.vertx.core.http.HttpMethod.GET, "/v1/blobs/" + id + "/meta", adminToken);
        if (meta.status() != 200) {
          blobs.put(id, new StoreSnapshot.Blob(false, 0, 0, null));
          continue;
        }
        JsonArray copies = meta.json().getJsonArray("copies");
        int readable = (int) copies.stream().map(JsonObject.class::cast)
            .filter(c -> c.getString("state").equals("healthy") && c.getString("nodeState").equals("up")).count();
        BlobClient.Reply bytes = client.get(adminToken, "/v1/blobs/" + id, Map.of(), false);
        blobs.put(id, new StoreSnapshot.Blob(bytes.status() == 200, readable, meta.json().getInteger("replicas"),
            bytes.sha256()));
      }
    }
    return new StoreSnapshot(records, markers, lastCursors(), taskStates, taskMarkers, blobs);
  }

  /** Deletes one acknowledged record's row, for the test that shows the checker catches it. */
  String deleteOneAcknowledgedRecord() throws IOException {
    JsonObject ack = AckLog.read(log.file()).stream().filter(l -> l.getString("k").equals(AckLog.RECORD)).findFirst()
        .orElseThrow();
    await(pg.preparedQuery("DELETE FROM tributary.records WHERE record_id = $1::uuid")
        .execute(Tuple.of(ack.getString("id"))));
    return ack.getString("id");
  }

  @Override
  public void close() {
    readers.forEach(ResumingReader::close);
    nodes.forEach(NodeProcess::close);
    try {
      chattr("-i", hub.dataDir.resolve("blobs"));
    } catch (IOException | InterruptedException | RuntimeException e) {
      say("could not clear chattr: " + e);
    }
    hubHttp.close();
    await(pg.close().otherwiseEmpty());
    await(vertx.close());
    try {
      redis.close();
    } catch (IOException | RuntimeException e) {
      say("stopping Redis: " + e);
    }
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      say("stopping PostgreSQL: " + e);
    }
    try {
      log.close();
    } catch (IOException e) {
      say("closing the log: " + e);
    }
    // The logs, the acknowledgement log and the report stay; the databases and blobs go.
    deleteTree(runDir.resolve("postgres"));
    nodes.forEach(n -> deleteTree(n.dataDir));
  }

  private void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      say("could not delete " + root + ": " + e);
    }
  }
}
