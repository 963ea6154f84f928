package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;
import tributary.auth.ChannelAccessStore;
import tributary.auth.Principal;
import tributary.bus.Addresses;
import tributary.bus.CacheSwitched;
import tributary.cache.ChannelCacheSettings;
import tributary.config.NodeConfig;
import tributary.fault.Refusal;
import tributary.processing.ResultChannels;
import tributary.query.ChannelDirectory;
import tributary.query.ChannelInfo;
import tributary.query.PageFilter;
import tributary.store.RecordStore;

/**
 * Channels and their streams: reading by cursor with long poll (Q2), live streams (Q3), history by
 * time (Q7), a channel's state (Q5) and cache setting, its rights (X3) and its creation by an
 * administrator; on edge nodes, the edge's result feed. Every read asks {@link Rights} first.
 */
public final class ChannelsApi implements HttpEndpoint {
  private final Vertx vertx;
  private final ChannelReads reads;
  private final ChannelInfo info;
  private final ChannelDirectory directory;
  private final ChannelAccessStore access;
  private final ChannelCacheSettings cacheSettings;
  private final RecordStore records;
  private final Rights rights;
  private final Supplier<NodeConfig> config;

  public ChannelsApi(Vertx vertx, ChannelReads reads, ChannelInfo info, ChannelDirectory directory, ChannelAccessStore access,
      ChannelCacheSettings cacheSettings, RecordStore records, Rights rights, Supplier<NodeConfig> config) {
    this.vertx = vertx;
    this.reads = reads;
    this.info = info;
    this.directory = directory;
    this.access = access;
    this.cacheSettings = cacheSettings;
    this.records = records;
    this.rights = rights;
    this.config = config;
  }

  /** Reading a channel by cursor and as a stream, for the routes that read a channel under another name. */
  public ChannelReads reads() {
    return reads;
  }

  @Override
  public void addRoutes(Router router) {
    if (config.get().has(tributary.config.Role.EDGE)) {
      String feed = ResultChannels.edgeFeed(config.get().nodeId());
      router.get("/v1/edge/results").handler(rc -> edgeResults(rc, feed));
      router.get("/v1/edge/results/stream").handler(rc -> edgeResultStream(rc, feed));
    }
    router.get("/v1/channels").handler(this::list);
    router.get("/v1/channels/:channel/records").handler(this::records);
    router.get("/v1/channels/:channel/stream").handler(this::stream);
    router.get("/v1/channels/:channel/history").handler(this::history);
    router.get("/v1/channels/:channel/acl").handler(this::showAccess);
    router.put("/v1/channels/:channel/acl").handler(this::setAccess);
    router.get("/v1/channels/:channel").handler(this::channelInfo);
    router.put("/v1/channels/:channel").handler(this::createChannel);
    router.put("/v1/channels/:channel/cache").handler(this::setCache);
    router.delete("/v1/channels/:channel/acl").handler(this::setAccess);
  }

  /** The channel of the path, a name. */
  public static String channel(RoutingContext rc) {
    return Params.pathName(rc, "channel", "channel name");
  }

  /** The edge's result feed: whole to administrators and the edge itself, else the results of readable channels. */
  private void edgeResults(RoutingContext rc, String feed) {
    reads.readPage(rc, feed, rights.pageFilter(feed, AuthHandler.principal(rc)));
  }

  private void edgeResultStream(RoutingContext rc, String feed) {
    reads.stream(rc, feed, rights.pageFilter(feed, AuthHandler.principal(rc)));
  }

  /**
   * The channels the caller may read, in name order ({@code ?prefix=}, {@code ?after=} the
   * {@code next} of the previous page, {@code ?limit=}), each with its length, rights and own cache
   * setting; the totals over all of them, and the default TTL of channels without a setting.
   */
  private void list(RoutingContext rc) {
    String prefix = rc.queryParams().get("prefix");
    String after = rc.queryParams().get("after");
    int limit = ChannelReads.limit(rc);
    Principal who = AuthHandler.principal(rc);
    NodeConfig now = config.get();
    ChannelDirectory.Ask ask = new ChannelDirectory.Ask(who.isAdmin() ? null : who.id(),
        prefix == null ? "" : prefix, after == null ? "" : after, limit);
    Guarded.then(rc, directory.list(ask), page -> json(rc, 200, page
        .put("defaultCache", new JsonObject().put("ttlMs", now.cacheTtlMs()).put("adaptive", now.cacheAdaptive()))));
  }

  /** Succeeds if the caller may read the channel (X3); 403 otherwise. */
  private Future<Void> readable(RoutingContext rc, String channel) {
    return rights.read(channel, AuthHandler.principal(rc));
  }

  private void records(RoutingContext rc) {
    String channel = channel(rc);
    reads.readPage(rc, channel, readable(rc, channel), PageFilter.ALL);
  }

  private void stream(RoutingContext rc) {
    String channel = channel(rc);
    reads.stream(rc, channel, readable(rc, channel), PageFilter.ALL);
  }

  /** Q7: records committed in [from, to) (epoch ms), a page at a time; "next" continues, null at the end. */
  private void history(RoutingContext rc) {
    String channel = channel(rc);
    long from = Params.cursor(rc, "from", 0);
    long to = Params.cursor(rc, "to", Long.MAX_VALUE);
    long after = Params.cursor(rc, "after", 0);
    int limit = ChannelReads.limit(rc);
    Guarded.then(rc, readable(rc, channel).compose(v -> records.readRange(channel, from, to, after, limit)), list -> {
      JsonArray out = new JsonArray();
      list.forEach(r -> out.add(r.toJsonValue()));
      Object next = list.size() < limit ? null : list.get(list.size() - 1).cursor();
      json(rc, 200, new JsonObject().put("channel", channel).put("from", from).put("to", to).put("records", out)
          .put("next", next));
    });
  }

  private void showAccess(RoutingContext rc) {
    String channel = channel(rc);
    Guarded.then(rc, readable(rc, channel).compose(v -> access.access(channel)), a -> {
      if (a == null) {
        rc.fail(Refusal.notFound("no channel '" + channel + "'"));
      } else {
        json(rc, 200, a.toJson(channel));
      }
    });
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
      readers = Params.nameList(body, "readers", "user ids");
      writers = Params.nameList(body, "writers", "user ids");
    }
    List<String> newReaders = readers;
    List<String> newWriters = writers;
    Guarded.then(rc, rights.manage(channel, who, "change who reads and writes it")
        .compose(v -> access.setAcl(channel, newReaders, newWriters, System.currentTimeMillis()))
        .compose(v -> access.access(channel)), a -> json(rc, 200, a.toJson(channel)));
  }

  /**
   * PUT {"owner": "alice"[, "force": true]} (admin): creates the channel owned by alice, or gives
   * an ownerless channel to her, so that ownership does not go to whoever posts first. A channel
   * owned by someone else is 409 unless forced. 201 when created, else 200; the answer is its rights.
   */
  private void createChannel(RoutingContext rc) {
    Rights.administrator(AuthHandler.principal(rc));
    String channel = channel(rc);
    if (ResultChannels.isSystemChannel(channel)) {
      throw Refusal.badRequest("'" + channel + "' is written by core only and follows its input channel");
    }
    JsonObject body = Params.jsonObject(rc);
    String owner = Params.name(body, "owner");
    boolean force = Params.bool(body, "force", false);
    Guarded.then(rc, access.claim(channel, owner, force, System.currentTimeMillis()), claim -> {
      if (claim == ChannelAccessStore.Claim.CONFLICT) {
        rc.fail(new Refusal(409, "conflict", "channel '" + channel + "' has another owner; "
            + "send \"force\": true to hand it to '" + owner + "'"));
        return;
      }
      Guarded.then(rc, access.access(channel),
          a -> json(rc, claim == ChannelAccessStore.Claim.CREATED ? 201 : 200, a.toJson(channel)));
    });
  }

  /** Q5: a channel's length, what its cache holds, its TTL (set and effective) and read rate. */
  private void channelInfo(RoutingContext rc) {
    String channel = channel(rc);
    NodeConfig now = config.get();
    ChannelCacheSettings.Setting defaults = new ChannelCacheSettings.Setting(now.cacheTtlMs(), now.cacheAdaptive());
    Guarded.then(rc, readable(rc, channel).compose(v -> info.of(channel, defaults)), state -> json(rc, 200, state));
  }

  /**
   * PUT {"ttlMs": n, "adaptive": bool, "cached": bool}: the channel's cache lifetime (Q5) and
   * whether it is cached at all (issue 15); a field left out keeps its current value. A switch is
   * announced on {@link Addresses#CACHE_SWITCHED}, so every node's channel cache applies it at once.
   * Admin or owner.
   */
  private void setCache(RoutingContext rc) {
    String channel = channel(rc);
    Principal who = AuthHandler.principal(rc);
    JsonObject body = Params.jsonObject(rc);
    Long ttlMs = body.getValue("ttlMs") == null ? null : Params.number(body, "ttlMs", 1000, Long.MAX_VALUE);
    Boolean adaptive = body.getValue("adaptive") == null ? null : Params.bool(body, "adaptive", false);
    Boolean cached = body.getValue("cached") == null ? null : Params.bool(body, "cached", true);
    NodeConfig now = config.get();
    ChannelCacheSettings.Setting defaults = new ChannelCacheSettings.Setting(now.cacheTtlMs(), now.cacheAdaptive());
    Future<ChannelCacheSettings.Setting> saved = rights.manage(channel, who, "set its cache")
        .compose(v -> cacheSettings.get(channel))
        .compose(current -> {
          ChannelCacheSettings.Setting was = current == null ? defaults : current;
          ChannelCacheSettings.Setting setting = new ChannelCacheSettings.Setting(
              ttlMs == null ? was.ttlMs() : ttlMs, adaptive == null ? was.adaptive() : adaptive,
              cached == null ? was.cached() : cached);
          return cacheSettings.put(channel, setting, System.currentTimeMillis()).map(setting);
        });
    Guarded.then(rc, saved, setting -> {
      if (cached != null) {
        vertx.eventBus().publish(Addresses.CACHE_SWITCHED, new CacheSwitched(channel, setting.cached()));
      }
      json(rc, 200, new JsonObject().put("channel", channel).put("ttlMs", setting.ttlMs())
          .put("adaptive", setting.adaptive()).put("cached", setting.cached()));
    });
  }
}
