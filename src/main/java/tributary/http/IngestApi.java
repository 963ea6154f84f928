package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tributary.bus.CommitReceipt;
import tributary.config.NodeConfig;
import tributary.fault.BusFailures;
import tributary.fault.JsonError;
import tributary.fault.Refusal;
import tributary.ingest.EdgeIngest;
import tributary.ingest.IngestReply;
import tributary.ingest.IngestRequest;

/**
 * {@code POST /v1/channels/{channel}/records} on edge nodes: JSON or NDJSON records handed to the
 * edge ({@link EdgeIngest}, on this loop), answered 202 with each record's cursor, or 503 when the
 * commit's outcome is unknown, with the Idempotency-Key a retry should carry.
 */
public final class IngestApi implements HttpEndpoint {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[\\x21-\\x7E]{1,200}");

  private final Rights rights;
  private final EdgeIngest edge;

  public IngestApi(Vertx vertx, Rights rights, Supplier<NodeConfig> config) {
    this.rights = rights;
    this.edge = new EdgeIngest(vertx, config);
  }

  @Override
  public void addRoutes(Router router) {
    router.post("/v1/channels/:channel/records").handler(this::writable).handler(this::ingest);
  }

  /** X3: ingest continues only if the caller may write to the channel; 403 otherwise. */
  private void writable(RoutingContext rc) {
    Guarded.then(rc, rights.write(ChannelsApi.channel(rc), AuthHandler.principal(rc)), v -> rc.next());
  }

  private void ingest(RoutingContext rc) {
    String channel = ChannelsApi.channel(rc);
    String contentType = String.valueOf(rc.request().getHeader("Content-Type"));
    boolean ndjson = contentType.startsWith("application/x-ndjson");
    if (!ndjson && !contentType.startsWith("application/json")) {
      throw new Refusal(415, "unsupported_media_type", "send application/json or application/x-ndjson");
    }
    String level = rc.request().getHeader("Priority");
    Integer priority = level == null ? null : Params.integer(level, "Priority header", 0, 9);
    String body = rc.body().asString();
    if (body == null || body.isBlank()) {
      throw Refusal.badRequest("empty body");
    }
    String key = rc.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !IDEMPOTENCY_KEY_FORM.matcher(key).matches()) {
      throw Refusal.badRequest(IDEMPOTENCY_KEY + " must be 1-200 visible ASCII characters");
    }
    IngestRequest request = new IngestRequest(channel, ndjson, body, AuthHandler.principal(rc).id(), priority, key,
        RequestDeadline.idOf(rc));
    Guarded.then(rc, edge.ingest(request), reply -> answer(rc, channel, reply));
  }

  /**
   * 202 with each record's cursor; or, when the commit's outcome is unknown, 503 that says so and
   * names the ids and the idempotency key a retry should carry (it stores nothing twice).
   */
  private static void answer(RoutingContext rc, String channel, IngestReply reply) {
    if (reply.receipt() == null) {
      rc.response().putHeader("Retry-After", String.valueOf(JsonError.RETRY_AFTER_SECONDS));
      json(rc, 503, new JsonObject().put("error", Refusal.codeFor(BusFailures.OUTCOME_UNKNOWN))
          .put("message", "the records may or may not have been committed; retry the same request with header "
              + IDEMPOTENCY_KEY + ": " + reply.idempotencyKey() + " (or the same ids): a retry stores nothing "
              + "twice and answers every record's cursor")
          .put("channel", channel).put("idempotencyKey", reply.idempotencyKey())
          .put("ids", new JsonArray(reply.unknownIds())));
      return;
    }
    JsonArray records = new JsonArray();
    for (CommitReceipt.Committed r : reply.receipt().records()) {
      JsonObject record = new JsonObject().put("id", r.id()).put("cursor", r.cursor()).put("duplicate", r.duplicate());
      // An id stored before in another channel is that record: its cursor counts in that channel.
      if (!r.channel().equals(channel)) {
        record.put("channel", r.channel());
      }
      records.add(record);
    }
    json(rc, 202, new JsonObject().put("channel", channel).put("idempotencyKey", reply.idempotencyKey())
        .put("records", records));
  }
}
