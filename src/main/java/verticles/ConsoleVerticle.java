package verticles;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import tributary.archive.RecordArchive;
import tributary.archive.StorageArchive;
import tributary.auth.ChannelAccessStore;
import tributary.auth.TokenStore;
import tributary.auth.UserStore;
import tributary.cache.CacheKeys;
import tributary.cache.ChannelCache;
import tributary.cache.ChannelCacheSettings;
import tributary.cache.LiveReads;
import tributary.cache.ReadCounter;
import tributary.cache.RedisClients;
import tributary.config.NodeConfig;
import tributary.config.Role;
import tributary.dispatch.DispatchStore;
import tributary.dispatch.TopologyStore;
import tributary.export.SinkStore;
import tributary.fault.Refusal;
import tributary.http.AccessLog;
import tributary.http.AdminApi;
import tributary.http.AuthHandler;
import tributary.http.BlobApi;
import tributary.http.ChannelReads;
import tributary.http.ChannelsApi;
import tributary.http.ContractApi;
import tributary.http.DispatchApi;
import tributary.http.Failures;
import tributary.http.HttpEndpoint;
import tributary.http.HttpsRedirect;
import tributary.http.IngestApi;
import tributary.http.NodesApi;
import tributary.http.OpenApiDocument;
import tributary.http.OpsApi;
import tributary.http.Params;
import tributary.http.ProvenanceApi;
import tributary.http.RecordsApi;
import tributary.http.RequestDeadline;
import tributary.http.RoutesApi;
import tributary.http.SharedFace;
import tributary.http.Rights;
import tributary.http.SinksApi;
import tributary.http.TokensApi;
import tributary.node.Metrics;
import tributary.processing.ProcessorConfigStore;
import tributary.query.ChannelDirectory;
import tributary.query.ChannelInfo;
import tributary.query.ChannelReader;
import tributary.query.LiveChannels;
import tributary.query.SseSession;
import tributary.store.NodeStore;
import tributary.store.Pg;
import tributary.store.ReadinessProbe;
import tributary.store.RecordStore;

/**
 * The node's HTTP face: builds the router and mounts one {@link HttpEndpoint} per area (channels,
 * ingest, admin, nodes, sinks, records, blobs, provenance, dispatch, ops, contract), then the
 * console page from webroot. Deployed on nodes with the console or edge role; ingest routes exist
 * only where the edge role runs. Every /v1 route but the contract (/v1/openapi.json) needs a bearer
 * token; every error is a JSON body, written by the one failure handler.
 */
public class ConsoleVerticle extends VerticleBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleVerticle.class);

  private NodeConfig config;
  private Pool pool;
  private Redis redis;
  private SharedFace face;
  private HttpServer server;
  private AuthHandler auth;
  /** The plain-HTTP port that only redirects to HTTPS, when asked for (X3). */
  private HttpServer redirect;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    pool = Pg.pool(vertx, config);
    redis = RedisClients.create(vertx, config);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setCompressionSupported(true)
        // With cleartext HTTP/2 detection a connection exists only once its first bytes arrive;
        // without it the connection handler runs at accept, where the limit must count (Q6).
        .setHttp2ClearTextEnabled(false)
        // Issue 17: every request is answered on its connection's own loop, so a connection writes
        // straight to its channel instead of through a queue for other threads; that queue is a
        // 4 KiB array per connection, a third of what a held stream kept (a write from another
        // thread fails loudly rather than racing).
        .setStrictThreadMode(true);
    if (config.httpSendBufferBytes() > 0) {
      options.setSendBufferSize(config.httpSendBufferBytes());
    }
    config.tls().cert().ifPresent(cert -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(cert.toString()).setKeyPath(config.tls().key().orElseThrow().toString())));
    tributary.node.Metrics.registerBuildInfo(config);
    server = vertx.createHttpServer(options);
    server.invalidRequestHandler(ConsoleVerticle::invalidRequest);
    MeterRegistry registry = Metrics.registry(config);
    face = SharedFace.of(vertx, config, registry);
    NodeControl.onReload(vertx, config.nodeId(), reloaded -> {
      config = reloaded;
      face.connections.setLimit(reloaded.maxConnections());
    });
    server.connectionHandler(connection -> {
      closeAll(face.connections.accepted(connection, System.currentTimeMillis()));
      connection.closeHandler(v -> face.connections.closed(connection));
    });
    vertx.setPeriodic(Math.max(50, config.httpIdleTimeoutMs() / 4),
        t -> closeAll(face.connections.expired(System.currentTimeMillis())));
    Future<BlobApi> blobApi = config.has(Role.CONSOLE) ? BlobApi.create(vertx, pool, config, face.liveStores, face.blobRecords)
        : Future.succeededFuture();
    auth = new AuthHandler(new TokenStore(pool));
    // The contract's parts and its page are read from the jar once, off the event loop.
    Future<ContractApi> contract = vertx.executeBlocking(OpenApiDocument::load).compose(document -> vertx.fileSystem()
        .readFile(ContractApi.DOCS_PAGE).map(page -> new ContractApi(document, page)));
    return auth.listen(vertx.eventBus()).compose(v -> contract).compose(v -> blobApi)
        .compose(blobs -> server.requestHandler(router(endpoints(registry, blobs), contract.result(), blobs)).listen()
            .recover(e -> Future.failedFuture(config.tls().https() ? new IllegalStateException("HTTPS with tls-cert "
                + config.tls().cert().orElseThrow() + " and tls-key " + config.tls().key().orElseThrow() + ": "
                + e.getMessage(), e) : e)))
        .compose(listening -> config.tls().redirectPort() == 0 ? Future.succeededFuture(listening)
            : listenRedirect(listening.actualPort()));
  }

  /** X3: the plain-HTTP port that sends every request to the HTTPS one. */
  private Future<HttpServer> listenRedirect(int httpsPort) {
    redirect = vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost())
        .setMaxHeaderSize(config.maxHeaderBytes()).setIdleTimeout(30));
    return redirect.requestHandler(new HttpsRedirect(httpsPort)).listen(config.tls().redirectPort());
  }

  /** Every area's routes, in the order they are mounted. */
  private List<HttpEndpoint> endpoints(MeterRegistry registry, BlobApi blobs) {
    RecordStore records = new RecordStore(pool, Pg.readPool(vertx, config));
    ChannelAccessStore access = new ChannelAccessStore(pool, face.channelAccess);
    Rights rights = new Rights(access::cached, access::access);
    ChannelCacheSettings cacheSettings = new ChannelCacheSettings(pool);
    CacheKeys cacheKeys = new CacheKeys(config.redisPrefix());
    ReadCounter reads = new ReadCounter(redis, cacheKeys);
    ChannelReader reader = new ChannelReader(new ChannelCache(redis, config.redisPrefix()), records);
    LiveChannels live = new LiveChannels(vertx, reader, () -> config.sseHeartbeatMs(),
        Metrics.timer(registry, "tributary.sse.notice",
            "a commit notice's way from its sending to this node's live streams"), face.live);
    LiveReads liveReads = new LiveReads(System.currentTimeMillis());
    vertx.setPeriodic(Math.max(100, config.cacheCleanPeriodMs() / 2), t -> {
      long now = System.currentTimeMillis();
      reads.countAll(liveReads.take(live.readersByChannel(), now));
      reads.flush(now).onFailure(e -> LOG.debug("read counts not flushed: {}", e.getMessage()));
    });
    RecordArchive archive = new StorageArchive(vertx, pool, config.pgHostPort());
    ChannelReads channelReads = new ChannelReads(vertx, reader, live, records, reads,
        () -> new SseSession.Limits(config.sseBufferBytes(), config.sseStallMs()));
    ChannelsApi channels = new ChannelsApi(vertx, channelReads, new ChannelInfo(redis, cacheKeys, records, cacheSettings),
        new ChannelDirectory(pool), access, cacheSettings, records, rights, () -> config);
    List<HttpEndpoint> out = new ArrayList<>();
    // First ingest, then the channel reads and streams: the router tries routes in order, and a
    // path with a parameter is a regular expression matched anew (a new Matcher) per route tried.
    // Behind the others, a post tried dozens (issue 16), and each stream opened made some 7 KB of
    // such garbage (issue 17). No other area's paths overlap these.
    if (config.has(Role.EDGE)) {
      out.add(new IngestApi(vertx, rights, () -> config));
    }
    out.add(channels);
    if (blobs != null) {
      out.add(blobs);
    }
    out.add(new ProvenanceApi(pool, archive, rights));
    out.add(new DispatchApi(vertx, new DispatchStore(pool), new TopologyStore(pool),
        config.dispatch().sendTimeoutMs(), config.nodeId(), channels.reads()));
    out.add(new AdminApi(vertx, new ProcessorConfigStore(pool), new UserStore(pool), new NodeStore(pool)));
    out.add(new TokensApi(vertx, new TokenStore(pool)));
    out.add(new NodesApi(vertx, pool, config));
    out.add(new SinksApi(new SinkStore(pool)));
    out.add(new RecordsApi(records, archive, rights));
    return out;
  }

  private Router router(List<HttpEndpoint> endpoints, ContractApi contract, BlobApi blobs) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestDeadline(vertx, RequestDeadline.DEFAULT_DEADLINE_MS));
    if (config.accessLog()) {
      router.route().handler(new AccessLog());
    }
    router.route().handler(this::limitConnections);
    router.route().handler(rc -> {
      String problem = Params.uriProblem(rc.request().uri());
      if (problem != null) {
        rc.fail(Refusal.badRequest(problem));
      } else {
        rc.next();
      }
    });
    new OpsApi(vertx, new ReadinessProbe(pool, redis), () -> config).addRoutes(router);
    contract.addRoutes(router);

    if (blobs != null) {
      blobs.mountClusterMembers(router);
    }
    router.route("/v1/*").handler(auth);
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    router.route("/v1/*").handler(rc -> {
      if (BlobApi.streamsBody(rc)) {
        rc.next();
      } else {
        bodies.handle(rc);
      }
    });
    endpoints.forEach(endpoint -> endpoint.addRoutes(router));
    new RoutesApi().addRoutes(router);
    router.route("/v1/*").handler(rc -> rc.fail(Refusal.notFound("no such API route: " + rc.normalizedPath())));

    // The chart library and the API reference page's Swagger UI, from their WebJars on the classpath
    // (C1: everything from the jar, no CDN).
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 404, 405, 413, 414, 415, 431, 500, 501}) {
      router.errorHandler(status, Failures::handle);
    }
    return router;
  }

  /**
   * Q6: a client accepted past the connection limit is answered 503 at once and its connection
   * closed; the requests of the others are tracked so that idle connections can be told apart.
   */
  private void limitConnections(RoutingContext rc) {
    HttpConnection connection = rc.request().connection();
    if (!face.connections.admitted(connection)) {
      rc.response().putHeader("Connection", "close");
      Failures.write(rc.response(), new Refusal(503, "unavailable", "this node is at its limit of "
          + config.maxConnections() + " connections; retry later or use another node"));
      return;
    }
    face.connections.requestStarted(connection);
    rc.addEndHandler(ar -> closeAll(face.connections.requestEnded(connection, System.currentTimeMillis())));
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
    // The router never sees this request, so the id every answer carries is given here (X4).
    request.response().putHeader(RequestDeadline.HEADER,
        RequestDeadline.idFor(request.getHeader(RequestDeadline.HEADER)));
    Failures.write(request.response(), error);
  }

  @Override
  public Future<?> stop() {
    redis.close();
    if (redirect != null) {
      redirect.close();
    }
    // Stops taking connections and lets requests in progress finish (a restart, D9), within a grace.
    return server.shutdown(config.shutdownGraceMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
