package tributary.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tributary.auth.ExpiringCache;
import tributary.auth.Principal;
import tributary.bus.Addresses;
import tributary.dispatch.Bindings;
import tributary.dispatch.DispatchMessages.Accepted;
import tributary.dispatch.DispatchMessages.Submit;
import tributary.dispatch.DispatchMessages.UserBinding;
import tributary.dispatch.DispatchStore;
import tributary.dispatch.TaskIds;
import tributary.dispatch.Topology;
import tributary.dispatch.TopologyStore;
import tributary.dispatch.UserQueues;
import tributary.fault.BusFailures;
import tributary.fault.Refusal;
import tributary.query.PageFilter;

/**
 * The HTTP face of user-to-user dispatch (section D): send_data, the topology and bindings,
 * acknowledging and fetching what a user received, and the task records. A user's queue is read
 * (by cursor and SSE) like any channel, by the channel read code, on the user's queue channel.
 */
public final class DispatchApi implements HttpEndpoint {
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  /** A client's own default User-Agent, such as curl/8.5.0 or Mozilla/5.0 (...), never a user id. */
  private static final Pattern CLIENT_AGENT = Pattern.compile(".*[/ ()].*");

  private final Vertx vertx;
  private final DispatchStore store;
  private final TopologyStore topology;
  private final DeliveryOptions submitOptions;
  private final String nodeId;
  private final ChannelReads reads;
  /** Users known to exist, with their worker ({@link #UNBOUND} when none), kept {@link #USERS_KEPT_MS}. */
  private final ExpiringCache<String, Integer> knownUsers = new ExpiringCache<>(USERS_KEPT_MS, 100_000);
  private static final long USERS_KEPT_MS = 2_000;
  /** How long a task waits for a worker that has just registered to take tasks: 2 s. */
  private static final int SUBMIT_ATTEMPTS = 20;
  private static final long SUBMIT_RETRY_MS = 100;
  private static final Integer UNBOUND = 0;

  /**
   * @param nodeId this node, recorded as the one that took each task's request
   * @param reads reads a user's queue channel
   */
  public DispatchApi(Vertx vertx, DispatchStore store, TopologyStore topology, long sendTimeoutMs, String nodeId,
      ChannelReads reads) {
    this.reads = reads;
    this.vertx = vertx;
    this.store = store;
    this.topology = topology;
    this.submitOptions = new DeliveryOptions().setSendTimeout(sendTimeoutMs);
    this.nodeId = nodeId;
  }

  @Override
  public void addRoutes(Router router) {
    // D5: a user's queue is its queue channel, read like any channel by its user or an administrator.
    router.get("/v1/users/:userId/data").handler(this::data);
    router.get("/v1/users/:userId/data/stream").handler(this::dataStream);
    router.post("/v1/send_data/:dataType").handler(this::sendData);
    router.get("/v1/topology").handler(this::showTopology);
    router.put("/v1/users/:userId/worker").handler(AuthHandler::requireAdmin).handler(this::bind);
    router.post("/v1/users/:userId/data/ack").handler(this::ack);
    router.get("/v1/users/:userId/data/:cursor/body").handler(this::body);
    router.get("/v1/dispatch/tasks/:taskId").handler(this::task);
    router.get("/v1/dispatch/tasks").handler(this::tasks);
  }

  /**
   * The user of the path, if the caller is that user or an administrator; 403 otherwise (D5: only
   * that user or an admin reads or acknowledges a queue).
   */
  private static String ownQueue(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    Rights.self(userId, AuthHandler.principal(rc),
        "only '" + userId + "' or an administrator may read or acknowledge its data");
    return userId;
  }

  private void data(RoutingContext rc) {
    reads.readPage(rc, UserQueues.channel(ownQueue(rc)), PageFilter.ALL);
  }

  private void dataStream(RoutingContext rc) {
    reads.stream(rc, UserQueues.channel(ownQueue(rc)), PageFilter.ALL);
  }

  /** D2: validates the headers in the order a client would fix them, then hands the task to the sender's worker. */
  private void sendData(RoutingContext rc) {
    String dataType = Params.pathName(rc, "dataType", "data_type");
    String sender = rc.request().getHeader("USER-AGENT");
    if (sender == null || sender.isBlank()) {
      throw Refusal.badRequest("USER-AGENT must be the sender's user id; send -H 'USER-AGENT: <your user id>'");
    }
    if (CLIENT_AGENT.matcher(sender).matches() || !tributary.ingest.RecordParser.validName(sender)) {
      throw Refusal.badRequest("USER-AGENT must be the sender's user id, not a client's own default ('" + sender
          + "'); send -H 'USER-AGENT: <your user id>'");
    }
    String levelHeader = rc.request().getHeader("LEVEL");
    if (levelHeader == null) {
      throw Refusal.badRequest("LEVEL must be the priority, an integer 0 (highest) to 9");
    }
    int level = Params.integer(levelHeader, "LEVEL", 0, 9);
    String dest = rc.request().getHeader("DES-USER");
    if (dest == null || !tributary.ingest.RecordParser.validName(dest)) {
      throw Refusal.badRequest("DES-USER must be the destination's user id");
    }
    Rights.self(sender, AuthHandler.principal(rc),
        "the token is not USER-AGENT '" + sender + "''s (nor an administrator's)");
    String contentType = rc.request().getHeader("Content-Type");
    byte[] payload = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    users(List.of(sender, dest)).compose(known -> {
      if (!known.containsKey(sender)) {
        return Future.failedFuture(Refusal.badRequest("USER-AGENT '" + sender + "' is not a user id"));
      }
      if (!known.containsKey(dest)) {
        return Future.failedFuture(Refusal.notFound("DES-USER '" + dest + "' is not a user"));
      }
      return workerOf(sender, known.get(sender));
    }).compose(worker -> submit(worker, new Submit(sender, dest, dataType, level,
            contentType == null ? "application/octet-stream" : contentType, payload, nodeId, RequestDeadline.idOf(rc)),
            SUBMIT_ATTEMPTS))
        .onSuccess(reply -> Replies.json(rc, 202, new JsonObject().put("taskId", reply.body().taskId())
            .put("state", "queued")))
        .onFailure(rc::fail);
  }

  /**
   * Hands the task to its worker. A worker is live in the topology once registered, and takes
   * tasks a moment later, once what it left undelivered is queued again and its address has reached
   * every node; a task sent meanwhile finds no consumer, so it is asked again for a while rather
   * than refused. No consumer means nobody took it, so asking again cannot queue it twice.
   */
  private Future<Message<Accepted>> submit(int worker, Submit task, int attemptsLeft) {
    return vertx.eventBus().<Accepted>request(Addresses.dispatchSubmit(worker), task, submitOptions)
        .recover(e -> attemptsLeft > 1 && BusFailures.noConsumer(e)
            ? vertx.timer(SUBMIT_RETRY_MS).compose(t -> submit(worker, task, attemptsLeft - 1))
            : Future.failedFuture(e));
  }

  /** The sender's worker; a user not yet bound is bound now to the least-loaded live worker. */
  private Future<Integer> workerOf(String userId, Integer bound) {
    if (bound != null) {
      return Future.succeededFuture(bound);
    }
    return Bindings.required(vertx.eventBus(), userId)
        .onSuccess(worker -> knownUsers.put(userId, worker, System.currentTimeMillis()));
  }

  /**
   * Which of these users exist, each with its worker (null when unbound). Known users are kept a
   * moment, so a busy sender does not cost a look-up per task; a worker that changed meanwhile
   * still delivers, as any worker can put data into any user's queue.
   */
  private Future<Map<String, Integer>> users(List<String> userIds) {
    long now = System.currentTimeMillis();
    Map<String, Integer> known = new java.util.HashMap<>();
    List<String> missing = new java.util.ArrayList<>();
    for (String id : userIds) {
      Integer worker = knownUsers.get(id, now);
      if (worker == null) {
        missing.add(id);
      } else {
        known.put(id, UNBOUND.equals(worker) ? null : worker);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(known);
    }
    return topology.users(missing).map(found -> {
      found.forEach((id, worker) -> knownUsers.put(id, worker == null ? UNBOUND : worker, now));
      known.putAll(found);
      return known;
    });
  }

  /** D1: the whole topology for administrators; others see the workers and their own binding. */
  private void showTopology(RoutingContext rc) {
    Principal who = AuthHandler.principal(rc);
    topology.read(System.currentTimeMillis()).onSuccess(t -> {
      Topology shown = Rights.isAdministrator(who) ? t : new Topology(t.version(), t.workers(),
          t.workerOf(who.id()) == null ? Map.of() : Map.of(who.id(), t.workerOf(who.id())));
      Replies.json(rc, 200, shown.toJson());
    }).onFailure(rc::fail);
  }

  private void bind(RoutingContext rc) {
    String userId = Params.pathName(rc, "userId", "user id");
    int n = (int) Params.number(Params.jsonObject(rc), "worker", 1, Integer.MAX_VALUE);
    vertx.eventBus().<UserBinding>request(Addresses.DISPATCH_BIND, new UserBinding(userId, n))
        .onSuccess(reply -> Replies.json(rc, 200, new JsonObject().put("user", userId).put("worker", reply.body().worker())))
        .onFailure(rc::fail);
  }

  /** D5, D7: everything up to {@code upTo} in the user's queue is consumed. */
  private void ack(RoutingContext rc) {
    String userId = ownQueue(rc);
    long upTo = Params.number(Params.jsonObject(rc), "upTo", 0, Long.MAX_VALUE);
    store.ack(userId, upTo, System.currentTimeMillis())
        .onSuccess(count -> Replies.json(rc, 200, new JsonObject().put("user", userId).put("upTo", upTo)
            .put("consumed", count)))
        .onFailure(rc::fail);
  }

  /** The data of one delivered item, byte-exact with its content type. */
  private void body(RoutingContext rc) {
    String userId = ownQueue(rc);
    long cursor = Params.cursor(rc.pathParam("cursor"), "cursor");
    store.body(userId, cursor).onSuccess(b -> {
      if (b == null) {
        rc.fail(Refusal.notFound("no data at cursor " + cursor + " for '" + userId + "'"));
        return;
      }
      rc.response().putHeader("Content-Type", b.contentType()).end(b.bytes());
    }).onFailure(rc::fail);
  }

  /** D7: one task, to an administrator or to its sender or destination. */
  private void task(RoutingContext rc) {
    String taskId = rc.pathParam("taskId");
    if (!TaskIds.valid(taskId)) {
      throw Refusal.badRequest("taskId must be {worker}_{epochMillis}_{6 digits}");
    }
    Principal who = AuthHandler.principal(rc);
    store.task(taskId).onSuccess(task -> {
      if (task == null || !Rights.maySeeTask(task.getString("sender"), task.getString("dest"), who)) {
        rc.fail(Refusal.notFound("no task '" + taskId + "'"));
        return;
      }
      Replies.json(rc, 200, task);
    }).onFailure(rc::fail);
  }

  /** D7: tasks filtered and paged; a user sees only tasks it sent or received. */
  private void tasks(RoutingContext rc) {
    var q = rc.queryParams();
    String state = q.get("state");
    if (state != null && !List.of("queued", "sending", "retrying", "delivered", "consumed").contains(state)) {
      throw Refusal.badRequest("state must be queued, sending, retrying, delivered or consumed");
    }
    String sender = q.get("sender") == null ? null : Params.name(q.get("sender"), "sender");
    String dest = q.get("dest") == null ? null : Params.name(q.get("dest"), "dest");
    Integer level = q.get("level") == null ? null : Params.integer(q.get("level"), "level", 0, 9);
    String flaggedParam = q.get("flagged");
    if (flaggedParam != null && !flaggedParam.equals("true") && !flaggedParam.equals("false")) {
      throw Refusal.badRequest("flagged must be true or false");
    }
    Boolean flagged = flaggedParam == null ? null : Boolean.valueOf(flaggedParam);
    String after = q.get("after");
    if (after != null && !TaskIds.valid(after)) {
      throw Refusal.badRequest("after must be a task id (the 'next' of the previous page)");
    }
    int limit = Params.integer(rc, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    Principal who = AuthHandler.principal(rc);
    store.list(new DispatchStore.Filter(state, sender, dest, level, flagged, Rights.ownFilter(who)), after,
            limit)
        .onSuccess(list -> Replies.json(rc, 200, new JsonObject().put("tasks", new JsonArray(List.copyOf(list)))
            .put("next", list.size() < limit ? null : list.get(list.size() - 1).getString("taskId"))))
        .onFailure(rc::fail);
  }
}
