package verticles;

import static tributary.http.Replies.json;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tributary.archive.RecordArchive;
import tributary.archive.StorageArchive;
import tributary.auth.ChannelAccessStore;
import tributary.auth.Principal;
import tributary.auth.UserStore;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.GrantChange;
import tributary.bus.IngestReply;
import tributary.bus.IngestRequest;
import tributary.bus.ProcessorConfigChange;
import tributary.bus.UserCreate;
import tributary.bus.UserCreated;
import tributary.cache.CacheKeys;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCacheSettings;
import tributary.cache.ReadCounter;
import tributary.cache.RedisClients;
import tributary.config.NodeConfig;
import tributary.config.Role;
import tributary.dispatch.DispatchMessages.UserBinding;
import tributary.dispatch.DispatchStore;
import tributary.dispatch.TopologyStore;
import tributary.dispatch.UserQueues;
import tributary.export.Sink;
import tributary.export.SinkStore;
import tributary.fault.Refusal;
import tributary.http.AuthHandler;
import tributary.http.BlobApi;
import tributary.http.ConnectionSlots;
import tributary.http.DispatchApi;
import tributary.http.Failures;
import tributary.http.NodesApi;
import tributary.http.Params;
import tributary.http.ProvenanceApi;
import tributary.http.Rights;
import tributary.ingest.RecordParser;
import tributary.ingest.TimeBudget;
import tributary.node.Metrics;
import tributary.node.NodeState;
import tributary.processing.ProcessorConfigStore;
import tributary.processing.ResultChannels;
import tributary.query.ChannelReader;
import tributary.query.LiveChannels;
import tributary.query.PageFilter;
import tributary.query.SseSession;
import tributary.store.Pg;
import tributary.store.RecordStore;

/**
 * The node's HTTP face: REST API, the console page from webroot, /health, /ready and /metrics.
 * Deployed on nodes with the console or edge role; ingest routes exist only where the edge role
 * runs. Every /v1 route needs a bearer token; every error is a JSON body.
 */
public class ConsoleVerticle extends VerticleBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleVerticle.class);
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  static final int MAX_WAIT_MS = 30_000;
  static final long SHUTDOWN_GRACE_MS = 1_000;

  private NodeConfig config;
  private Pool pool;
  private Redis redis;
  private ChannelReader reader;
  private ProcessorConfigStore processorConfigs;
  private SinkStore sinks;
  private RecordArchive archive;
  private RecordStore records;
  private ChannelAccessStore access;
  private Rights rights;
  private ChannelCacheSettings cacheSettings;
  private CacheKeys cacheKeys;
  private ReadCounter reads;
  private LiveChannels live;
  private BlobApi blobs;
  private ConnectionSlots<HttpConnection> connections;
  private HttpServer server;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    pool = Pg.pool(vertx, config);
    redis = RedisClients.create(vertx, config);
    processorConfigs = new ProcessorConfigStore(pool);
    sinks = new SinkStore(pool);
    records = new RecordStore(pool);
    access = new ChannelAccessStore(pool);
    rights = new Rights(access::cached, access::access);
    cacheSettings = new ChannelCacheSettings(pool);
    cacheKeys = new CacheKeys(config.redisPrefix());
    reads = new ReadCounter(redis, cacheKeys);
    vertx.setPeriodic(Math.max(100, config.cacheCleanPeriodMs() / 2), t -> reads.flush(System.currentTimeMillis())
        .onFailure(e -> LOG.debug("read counts not flushed: {}", e.getMessage())));
    live = new LiveChannels(vertx);
    reader = new ChannelReader(new ChannelCache(redis, config.redisPrefix()), records);
    archive = new StorageArchive(vertx, pool, config.pgHostPort());
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setCompressionSupported(true)
        // With cleartext HTTP/2 detection a connection exists only once its first bytes arrive;
        // without it the connection handler runs at accept, where the limit must count (Q6).
        .setHttp2ClearTextEnabled(false));
    server.invalidRequestHandler(ConsoleVerticle::invalidRequest);
    connections = new ConnectionSlots<>(config.maxConnections(), config.httpIdleTimeoutMs());
    NodeControl.onReload(vertx, config.nodeId(), reloaded -> {
      config = reloaded;
      connections.setLimit(reloaded.maxConnections());
    });
    server.connectionHandler(connection -> {
      closeAll(connections.accepted(connection, System.currentTimeMillis()));
      connection.closeHandler(v -> connections.closed(connection));
    });
    vertx.setPeriodic(Math.max(50, config.httpIdleTimeoutMs() / 4),
        t -> closeAll(connections.expired(System.currentTimeMillis())));
    MeterRegistry registry = Metrics.registry(config);
    Gauge.builder("tributary.http.connections", () -> connections.open()).description("open HTTP connections")
        .register(registry);
    Gauge.builder("tributary.sse.streams", () -> live.readers()).description("open live streams")
        .register(registry);
    Future<BlobApi> blobApi = config.has(Role.CONSOLE) ? BlobApi.create(vertx, pool, config)
        : Future.succeededFuture();
    return blobApi.compose(api -> {
      blobs = api;
      return server.requestHandler(router()).listen();
    });
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::limitConnections);
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "up").put("node", config.nodeId())));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(config.nodeId()));

    router.route("/v1/*").handler(new AuthHandler(new UserStore(pool)));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    router.route("/v1/*").handler(rc -> {
      if (BlobApi.streamsBody(rc)) {
        rc.next();
      } else {
        bodies.handle(rc);
      }
    });
    if (blobs != null) {
      blobs.mount(router);
    }
    new ProvenanceApi(pool, archive, rights).mount(router);
    new DispatchApi(vertx, new DispatchStore(pool), new TopologyStore(pool), config.dispatch().sendTimeoutMs(),
        config.nodeId()).mount(router);
    // D5: a user's queue is its queue channel, read like any channel by its user or an administrator.
    router.get("/v1/users/:userId/data").handler(rc -> DispatchApi.ownQueue(rc,
        (ctx, user) -> readPage(ctx, UserQueues.channel(user))));
    router.get("/v1/users/:userId/data/stream").handler(rc -> DispatchApi.ownQueue(rc,
        (ctx, user) -> stream(ctx, UserQueues.channel(user))));
    router.post("/v1/users").handler(AuthHandler::requireAdmin).handler(this::createUser);
    new NodesApi(vertx, pool, config).mount(router);
    router.put("/v1/nodes/:nodeId/grant").handler(AuthHandler::requireAdmin).handler(this::setGrant);
    router.get("/v1/processors").handler(this::listProcessors);
    router.put("/v1/processors/:dataType").handler(AuthHandler::requireAdmin).handler(this::setProcessors);
    router.delete("/v1/processors/:dataType").handler(AuthHandler::requireAdmin).handler(this::setProcessors);
    router.post("/v1/sinks").handler(AuthHandler::requireAdmin).handler(this::createSink);
    router.get("/v1/sinks").handler(AuthHandler::requireAdmin).handler(rc -> sinks.all().onSuccess(list ->
        json(rc, 200, new JsonObject().put("sinks", new JsonArray(list.stream().map(Sink::toJson).toList()))))
        .onFailure(rc::fail));
    router.delete("/v1/sinks/:sinkId").handler(AuthHandler::requireAdmin).handler(this::deleteSink);
    router.get("/v1/sinks/:sinkId/dead-letters").handler(AuthHandler::requireAdmin).handler(this::deadLetters);
    router.post("/v1/sinks/:sinkId/dead-letters/replay").handler(AuthHandler::requireAdmin).handler(this::replay);
    if (config.has(Role.EDGE)) {
      router.post("/v1/channels/:channel/records").handler(this::writable).handler(this::ingest);
      router.get("/v1/edge/results").handler(rc -> readPage(rc, ResultChannels.edgeFeed(config.nodeId()),
          rights.pageFilter(ResultChannels.edgeFeed(config.nodeId()), AuthHandler.principal(rc))));
      router.get("/v1/edge/results/stream").handler(rc -> stream(rc, ResultChannels.edgeFeed(config.nodeId()),
          rights.pageFilter(ResultChannels.edgeFeed(config.nodeId()), AuthHandler.principal(rc))));
    }
    router.get("/v1/channels/:channel/records").handler(rc -> readable(rc, channel(rc), this::readPage));
    router.get("/v1/channels/:channel/stream").handler(rc -> readable(rc, channel(rc), this::stream));
    router.get("/v1/channels/:channel/history").handler(rc -> readable(rc, channel(rc), this::history));
    router.get("/v1/channels/:channel/acl").handler(rc -> readable(rc, channel(rc), this::showAccess));
    router.put("/v1/channels/:channel/acl").handler(this::setAccess);
    router.get("/v1/channels/:channel").handler(rc -> readable(rc, channel(rc), this::channelInfo));
    router.put("/v1/channels/:channel").handler(AuthHandler::requireAdmin).handler(this::createChannel);
    router.put("/v1/channels/:channel/cache").handler(this::setCache);
    router.delete("/v1/channels/:channel/acl").handler(this::setAccess);
    router.get("/v1/records/:id/placement").handler(this::placement);
    router.route("/v1/*").handler(rc -> rc.fail(Refusal.notFound("no such API route: " + rc.normalizedPath())));

    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {404, 405, 413, 500}) {
      router.errorHandler(status, Failures::handle);
    }
    return router;
  }

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[\\x21-\\x7E]{1,200}");

  /**
   * Q6: a client accepted past the connection limit is answered 503 at once and its connection
   * closed; the requests of the others are tracked so that idle connections can be told apart.
   */
  private void limitConnections(RoutingContext rc) {
    HttpConnection connection = rc.request().connection();
    if (!connections.admitted(connection)) {
      rc.response().putHeader("Connection", "close");
      Failures.write(rc.response(), new Refusal(503, "unavailable", "this node is at its limit of "
          + config.maxConnections() + " connections; retry later or use another node"));
      return;
    }
    connections.requestStarted(connection);
    rc.addEndHandler(ar -> closeAll(connections.requestEnded(connection, System.currentTimeMillis())));
    rc.next();
  }

  private static void closeAll(List<HttpConnection> idle) {
    idle.forEach(HttpConnection::close);
  }

  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    boolean tooLarge = cause != null && cause.getClass().getSimpleName().contains("TooLong");
    Refusal error = tooLarge
        ? new Refusal(431, "headers_too_large", "request line or headers exceed the size limit")
        : Refusal.badRequest("malformed HTTP request");
    Failures.write(request.response(), error);
  }

  private void ready(RoutingContext rc) {
    Future<Boolean> pg = pool.query("SELECT 1").execute().map(true).otherwise(false);
    Future<Boolean> cache = redis.send(Request.cmd(Command.PING)).map(true).otherwise(false);
    boolean cluster = !config.cluster() || vertx.isClustered();
    boolean registered = NodeState.grant(vertx) != null;
    Future.join(pg, cache).onComplete(ar -> {
      boolean ok = pg.result() && cache.result() && cluster && registered;
      json(rc, ok ? 200 : 503, new JsonObject()
          .put("status", ok ? "ready" : "not_ready")
          .put("node", config.nodeId())
          .put("checks", new JsonObject(Map.of("postgres", pg.result(), "redis", cache.result(),
              "cluster", cluster, "registered", registered))));
    });
  }

  private void createUser(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    String userId = body.getString("userId");
    String kind = body.getString("kind", Principal.Kind.USER.id());
    if (!RecordParser.validName(userId)) {
      rc.fail(Refusal.badRequest("userId must be 1-128 of letters, digits, '.', '_', ':' or '-'"));
      return;
    }
    // D1: a new user is bound to the least-loaded live dispatch worker, if one runs (else at its first send).
    vertx.eventBus().<UserCreated>request(Addresses.MANAGEMENT_USERS_CREATE, new UserCreate(userId, kind))
        .compose(created -> vertx.eventBus().<UserBinding>request(Addresses.DISPATCH_BIND, new UserBinding(userId, null))
            .map(bound -> bound.body().worker()).otherwise((Integer) null)
            .map(worker -> JsonObject.mapFrom(created.body()).put("worker", worker)))
        .onSuccess(answer -> json(rc, 201, answer))
        .onFailure(rc::fail);
  }

  private void setGrant(RoutingContext rc) {
    String nodeId = Params.name(rc.pathParam("nodeId"), "node id");
    JsonObject body = Params.jsonObject(rc);
    JsonArray types = body.getJsonArray("permittedTypes", new JsonArray());
    if (!types.stream().allMatch(t -> t instanceof String s && RecordParser.validName(s))) {
      throw Refusal.badRequest("permittedTypes must be a list of data type names ([] = any)");
    }
    Object priority = body.getValue("defaultPriority", 5);
    if (!(priority instanceof Integer p) || p < 0 || p > 9) {
      throw Refusal.badRequest("defaultPriority must be an integer 0..9");
    }
    EdgeGrant grant = new EdgeGrant(types.stream().map(String.class::cast).toList(), (Integer) priority,
        Envelope.PROTOCOL_VERSION, 0);
    vertx.eventBus().<EdgeGrant>request(Addresses.MANAGEMENT_GRANTS, new GrantChange(nodeId, grant))
        .onSuccess(reply -> json(rc, 200, JsonObject.mapFrom(reply.body()).put("nodeId", nodeId)))
        .onFailure(rc::fail);
  }

  private void listProcessors(RoutingContext rc) {
    processorConfigs.all().onSuccess(all -> {
      JsonObject out = new JsonObject();
      all.forEach(out::put);
      json(rc, 200, new JsonObject().put("processors", out));
    }).onFailure(rc::fail);
  }

  private void setProcessors(RoutingContext rc) {
    String dataType = Params.name(rc.pathParam("dataType"), "data type");
    String config = rc.request().method() == HttpMethod.DELETE ? null : Params.jsonObject(rc).encode();
    vertx.eventBus().<ProcessorConfigChange>request(Addresses.MANAGEMENT_PROCESSORS,
            new ProcessorConfigChange(dataType, config))
        .onSuccess(reply -> {
          if (config == null) {
            rc.response().setStatusCode(204).end();
          } else {
            json(rc, 200, new JsonObject().put("dataType", dataType).put("config", new JsonObject(config)));
          }
        })
        .onFailure(rc::fail);
  }

  private void createSink(RoutingContext rc) {
    JsonObject body = Params.jsonObject(rc);
    String sinkId = body.getString("sinkId", "sink-" + UUID.randomUUID().toString().substring(0, 8));
    Sink sink;
    try {
      sink = Sink.fromJson(Params.name(sinkId, "sinkId"), body);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest(e.getMessage());
    }
    sinks.create(sink, System.currentTimeMillis())
        .onSuccess(v -> json(rc, 201, sink.toJson()))
        .onFailure(e -> rc.fail(e instanceof UserStore.DuplicateException
            ? new Refusal(409, "conflict", e.getMessage()) : e));
  }

  private void deleteSink(RoutingContext rc) {
    String sinkId = Params.name(rc.pathParam("sinkId"), "sinkId");
    sinks.delete(sinkId).onSuccess(found -> {
      if (!found) {
        rc.fail(Refusal.notFound("no sink '" + sinkId + "'"));
        return;
      }
      rc.response().setStatusCode(204).end();
    }).onFailure(rc::fail);
  }

  private void deadLetters(RoutingContext rc) {
    String sinkId = Params.name(rc.pathParam("sinkId"), "sinkId");
    int limit = rc.queryParams().contains("limit")
        ? Params.integer(rc.queryParams().get("limit"), "limit", 1, MAX_PAGE) : DEFAULT_PAGE;
    sinks.deadLetters(sinkId, limit)
        .onSuccess(list -> json(rc, 200, new JsonObject().put("sinkId", sinkId).put("deadLetters", new JsonArray(list))))
        .onFailure(rc::fail);
  }

  private void replay(RoutingContext rc) {
    String sinkId = Params.name(rc.pathParam("sinkId"), "sinkId");
    sinks.replay(sinkId, System.currentTimeMillis())
        .onSuccess(n -> json(rc, 200, new JsonObject().put("sinkId", sinkId).put("replayed", n)))
        .onFailure(rc::fail);
  }

  private void ingest(RoutingContext rc) {
    String channel = channel(rc);
    String contentType = String.valueOf(rc.request().getHeader("Content-Type"));
    boolean ndjson = contentType.startsWith("application/x-ndjson");
    if (!ndjson && !contentType.startsWith("application/json")) {
      rc.fail(new Refusal(415, "unsupported_media_type", "send application/json or application/x-ndjson"));
      return;
    }
    Integer priority = null;
    String level = rc.request().getHeader("Priority");
    if (level != null) {
      priority = Params.integer(level, "Priority header", 0, 9);
    }
    String body = rc.body().asString();
    if (body == null || body.isBlank()) {
      rc.fail(Refusal.badRequest("empty body"));
      return;
    }
    String key = rc.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !IDEMPOTENCY_KEY_FORM.matcher(key).matches()) {
      rc.fail(Refusal.badRequest(IDEMPOTENCY_KEY + " must be 1-200 visible ASCII characters"));
      return;
    }
    IngestRequest request = new IngestRequest(channel, ndjson, body, AuthHandler.principal(rc).id(), priority, key);
    // The edge answers by its deadline (5 budgets, plus one attempt of 2 after it); this is a safety net.
    long records = ndjson ? body.chars().filter(c -> c == '\n').count() + 1 : 1;
    long budget = TimeBudget.forwardTimeoutMs(config.forwardTimeoutMs(), (int) Math.min(records, Integer.MAX_VALUE));
    vertx.eventBus().<IngestReply>request(Addresses.EDGE_INGEST, request, new DeliveryOptions().setSendTimeout(8 * budget))
        .onSuccess(reply -> answerIngest(rc, channel, reply.body()))
        .onFailure(rc::fail);
  }

  /**
   * 202 with each record's cursor; or, when the commit's outcome is unknown, 503 that says so and
   * names the ids and the idempotency key a retry should carry (it stores nothing twice).
   */
  private static void answerIngest(RoutingContext rc, String channel, IngestReply reply) {
    if (reply.receipt() == null) {
      rc.response().putHeader("Retry-After", String.valueOf(Failures.RETRY_AFTER_SECONDS));
      json(rc, 503, new JsonObject().put("error", Failures.codeFor(Failures.OUTCOME_UNKNOWN))
          .put("message", "the records may or may not have been committed; retry the same request with header "
              + IDEMPOTENCY_KEY + ": " + reply.idempotencyKey() + " (or the same ids): a retry stores nothing "
              + "twice and answers every record's cursor")
          .put("channel", channel).put("idempotencyKey", reply.idempotencyKey())
          .put("ids", new JsonArray(reply.unknownIds())));
      return;
    }
    JsonArray records = new JsonArray();
    reply.receipt().records().forEach(r -> records.add(new JsonObject().put("id", r.id()).put("cursor", r.cursor())
        .put("duplicate", r.duplicate())));
    json(rc, 202, new JsonObject().put("channel", channel).put("idempotencyKey", reply.idempotencyKey())
        .put("records", records));
  }

  /** Where a record's copies are, for those who may read the record (X3). */
  private void placement(RoutingContext rc) {
    String id = rc.pathParam("id");
    records.byId(id).compose(record -> record == null ? Future.failedFuture(Refusal.notFound("no record '" + id + "'"))
            : rights.readRecord(record, AuthHandler.principal(rc)))
        .compose(v -> archive.placement(id)).onSuccess(copies -> {
          if (copies == null) {
            rc.fail(Refusal.notFound("no record '" + id + "'"));
            return;
          }
          json(rc, 200, new JsonObject().put("recordId", id)
              .put("copies", new JsonArray(copies.stream().map(RecordArchive.Copy::toJson).toList())));
        }).onFailure(rc::fail);
  }

  /** X3: ingest continues only if the caller may write to the channel; 403 otherwise. */
  private void writable(RoutingContext rc) {
    rights.write(channel(rc), AuthHandler.principal(rc)).onSuccess(v -> rc.next()).onFailure(rc::fail);
  }

  /**
   * A live stream (Q3) from the cursor in Last-Event-ID or ?after=, or else from the channel's
   * current end (only records committed from now on).
   */
  private void stream(RoutingContext rc, String channel) {
    stream(rc, channel, PageFilter.ALL);
  }

  private void stream(RoutingContext rc, String channel, PageFilter filter) {
    String lastEventId = rc.request().getHeader("Last-Event-ID");
    String from = lastEventId != null ? lastEventId : rc.queryParams().get("after");
    Future<Long> start = from != null
        ? Future.succeededFuture(Params.cursor(from, lastEventId != null ? "Last-Event-ID" : "after"))
        : records.head(channel);
    SseSession.Limits limits = new SseSession.Limits(config.sseBufferBytes(), config.sseStallMs(),
        config.sseHeartbeatMs());
    reads.count(channel);
    start.onSuccess(after -> new SseSession(vertx, rc.response(), reader, live, channel, after, limits, filter).start())
        .onFailure(rc::fail);
  }

  /** Continues with {@code then} only if the caller may read the channel (X3); 403 otherwise. */
  private void readable(RoutingContext rc, String channel, java.util.function.BiConsumer<RoutingContext, String> then) {
    rights.read(channel, AuthHandler.principal(rc)).onSuccess(v -> then.accept(rc, channel)).onFailure(rc::fail);
  }

  private void showAccess(RoutingContext rc, String channel) {
    access.access(channel).onSuccess(a -> {
      if (a == null) {
        rc.fail(Refusal.notFound("no channel '" + channel + "'"));
      } else {
        json(rc, 200, a.toJson(channel));
      }
    }).onFailure(rc::fail);
  }

  /**
   * PUT {"readers": [...], "writers": [...]} restricts a channel: its owner and administrators read
   * and write, the readers read, the writers write (a list left out is empty). DELETE opens it
   * again. Admin or owner.
   */
  private void setAccess(RoutingContext rc) {
    String channel = channel(rc);
    Principal who = AuthHandler.principal(rc);
    List<String> readers = null;
    List<String> writers = null;
    if (rc.request().method() != HttpMethod.DELETE) {
      JsonObject body = Params.jsonObject(rc);
      if (!body.containsKey("readers") && !body.containsKey("writers")) {
        throw Refusal.badRequest("give \"readers\" and/or \"writers\": lists of user ids");
      }
      readers = userIds(body, "readers");
      writers = userIds(body, "writers");
    }
    List<String> newReaders = readers;
    List<String> newWriters = writers;
    rights.manage(channel, who, "change who reads and writes it")
        .compose(v -> access.setAcl(channel, newReaders, newWriters, System.currentTimeMillis()))
        .compose(v -> access.access(channel)).onSuccess(a -> json(rc, 200, a.toJson(channel))).onFailure(rc::fail);
  }

  /** The body's list of user ids under {@code key}; empty when it is left out. */
  private static List<String> userIds(JsonObject body, String key) {
    Object value = body.getValue(key, new JsonArray());
    if (!(value instanceof JsonArray list) || !list.stream().allMatch(u -> u instanceof String s && RecordParser.validName(s))) {
      throw Refusal.badRequest(key + " must be a list of user ids");
    }
    return list.stream().map(String.class::cast).toList();
  }

  /**
   * PUT {"owner": "alice"[, "force": true]} (admin): creates the channel owned by alice, or gives
   * an ownerless channel to her, so that ownership does not go to whoever posts first. A channel
   * owned by someone else is 409 unless forced. 201 when created, else 200; the answer is its rights.
   */
  private void createChannel(RoutingContext rc) {
    String channel = channel(rc);
    if (ResultChannels.isSystemChannel(channel)) {
      throw Refusal.badRequest("'" + channel + "' is written by core only and follows its input channel");
    }
    JsonObject body = Params.jsonObject(rc);
    String owner = Params.name(body.getValue("owner") instanceof String o ? o : null, "owner");
    if (!(body.getValue("force", false) instanceof Boolean force)) {
      throw Refusal.badRequest("force must be true or false");
    }
    access.claim(channel, owner, force, System.currentTimeMillis()).compose(claim -> claim == ChannelAccessStore.Claim.CONFLICT
            ? Future.failedFuture(new Refusal(409, "conflict", "channel '" + channel + "' has another owner; "
                + "send \"force\": true to hand it to '" + owner + "'"))
            : access.access(channel).map(a -> {
              json(rc, claim == ChannelAccessStore.Claim.CREATED ? 201 : 200, a.toJson(channel));
              return a;
            }))
        .onFailure(rc::fail);
  }

  /** Q5: a channel's length, what its cache holds, its TTL (set and effective) and read rate. */
  private void channelInfo(RoutingContext rc, String channel) {
    String key = cacheKeys.channel(channel);
    Future<Long> head = records.head(channel);
    Future<List<Response>> redisState = redis.batch(List.of(
            Request.cmd(Command.XLEN).arg(key),
            Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+").arg("COUNT").arg(1),
            Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(1),
            Request.cmd(Command.HGET).arg(cacheKeys.effectiveTtls()).arg(channel),
            Request.cmd(Command.HGET).arg(cacheKeys.readRates()).arg(channel)))
        .otherwise(e -> null);
    Future.all(head, cacheSettings.get(channel), redisState).onSuccess(all -> {
      ChannelCacheSettings.Setting set = all.resultAt(1) != null ? all.resultAt(1)
          : new ChannelCacheSettings.Setting(config.cacheTtlMs(), config.cacheAdaptive());
      JsonObject cache = new JsonObject().put("ttlMs", set.ttlMs()).put("adaptive", set.adaptive());
      List<Response> r = all.resultAt(2);
      if (r != null) {
        cache.put("entries", r.get(0).toLong()).put("firstCursor", streamCursor(r.get(1)))
            .put("lastCursor", streamCursor(r.get(2)))
            .put("effectiveTtlMs", r.get(3) == null ? set.ttlMs() : r.get(3).toLong())
            .put("readsPerMinute", r.get(4) == null ? 0.0 : Double.parseDouble(r.get(4).toString()));
      } else {
        cache.put("available", false);
      }
      json(rc, 200, new JsonObject().put("channel", channel).put("length", all.<Long>resultAt(0)).put("cache", cache));
    }).onFailure(rc::fail);
  }

  private static Long streamCursor(Response range) {
    if (range == null || range.size() == 0) {
      return null;
    }
    String id = range.get(0).get(0).toString();
    return Long.parseLong(id.substring(0, id.indexOf('-')));
  }

  /** PUT {"ttlMs": n, "adaptive": bool}: the channel's cache lifetime (Q5). Admin or owner. */
  private void setCache(RoutingContext rc) {
    String channel = channel(rc);
    Principal who = AuthHandler.principal(rc);
    JsonObject body = Params.jsonObject(rc);
    Object ttlMs = body.getValue("ttlMs", config.cacheTtlMs());
    Object adaptive = body.getValue("adaptive", false);
    if (!(ttlMs instanceof Number n) || n.longValue() < 1000 || !(adaptive instanceof Boolean)) {
      throw Refusal.badRequest("ttlMs must be a number of milliseconds >= 1000 and adaptive true or false");
    }
    ChannelCacheSettings.Setting setting = new ChannelCacheSettings.Setting(((Number) ttlMs).longValue(),
        (Boolean) adaptive);
    rights.manage(channel, who, "set its cache")
        .compose(v -> cacheSettings.put(channel, setting, System.currentTimeMillis()))
        .onSuccess(v -> json(rc, 200, new JsonObject().put("channel", channel).put("ttlMs", setting.ttlMs())
        .put("adaptive", setting.adaptive()))).onFailure(rc::fail);
  }

  /** Q7: records committed in [from, to) (epoch ms), a page at a time; "next" continues, null at the end. */
  private void history(RoutingContext rc, String channel) {
    long from = Params.cursor(rc.queryParams().get("from"), "from");
    String toParam = rc.queryParams().get("to");
    long to = toParam == null ? Long.MAX_VALUE : Params.cursor(toParam, "to");
    long after = Params.cursor(rc.queryParams().get("after"), "after");
    int limit = rc.queryParams().contains("limit")
        ? Params.integer(rc.queryParams().get("limit"), "limit", 1, MAX_PAGE) : DEFAULT_PAGE;
    records.readRange(channel, from, to, after, limit).onSuccess(list -> {
      JsonArray out = new JsonArray();
      list.forEach(r -> out.add(r.toJsonValue()));
      Object next = list.size() < limit ? null : list.get(list.size() - 1).cursor();
      json(rc, 200, new JsonObject().put("channel", channel).put("from", from).put("to", to).put("records", out)
          .put("next", next));
    }).onFailure(rc::fail);
  }

  /**
   * Q2: the records after a cursor and the cursor to continue from. With {@code wait=ms} (at most
   * {@link #MAX_WAIT_MS}) a read at the end of the channel waits for the next commit instead of
   * answering an empty page at once (long poll).
   */
  private void readPage(RoutingContext rc, String channel) {
    readPage(rc, channel, PageFilter.ALL);
  }

  private void readPage(RoutingContext rc, String channel, PageFilter filter) {
    long after = Params.cursor(rc.queryParams().get("after"), "after");
    int limit = rc.queryParams().contains("limit")
        ? Params.integer(rc.queryParams().get("limit"), "limit", 1, MAX_PAGE) : DEFAULT_PAGE;
    long waitMs = rc.queryParams().contains("wait")
        ? Params.integer(rc.queryParams().get("wait"), "wait", 0, MAX_WAIT_MS) : 0;
    reads.count(channel);
    reader.read(channel, after, limit).onSuccess(page -> {
      if (page.records().isEmpty() && waitMs > 0) {
        awaitCommit(rc, channel, waitMs, () -> reader.read(channel, after, limit).compose(filter::apply)
            .onSuccess(later -> writePage(rc, channel, later)).onFailure(rc::fail));
      } else {
        filter.apply(page).onSuccess(shown -> writePage(rc, channel, shown)).onFailure(rc::fail);
      }
    }).onFailure(rc::fail);
  }

  /** Runs {@code then} once a commit to the channel is announced, or when {@code waitMs} has passed. */
  private void awaitCommit(RoutingContext rc, String channel, long waitMs, Runnable then) {
    boolean[] fired = {false};
    java.util.function.LongConsumer[] listener = new java.util.function.LongConsumer[1];
    long[] timer = new long[1];
    Runnable once = () -> {
      if (!fired[0]) {
        fired[0] = true;
        live.leave(channel, listener[0]);
        vertx.cancelTimer(timer[0]);
        if (!rc.response().closed()) {
          then.run();
        }
      }
    };
    listener[0] = head -> once.run();
    live.join(channel, listener[0]);
    timer[0] = vertx.setTimer(waitMs, t -> once.run());
    rc.response().closeHandler(v -> once.run());
  }

  private static void writePage(RoutingContext rc, String channel, ChannelReader.Page page) {
    String body = "{\"channel\":\"" + channel + "\",\"records\":[" + String.join(",", page.json())
        + "],\"next\":" + page.next() + "}";
    rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
  }

  private static String channel(RoutingContext rc) {
    return Params.name(rc.pathParam("channel"), "channel name");
  }

  @Override
  public Future<?> stop() {
    redis.close();
    // Stops taking connections and lets requests in progress finish (a restart, D9), within a grace.
    return server.shutdown(SHUTDOWN_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
