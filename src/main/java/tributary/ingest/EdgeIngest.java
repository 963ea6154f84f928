package tributary.ingest;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.CommitReceipt;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;
import tributary.bus.Ids;
import tributary.config.NodeConfig;
import tributary.fault.Refusal;
import tributary.node.LogIds;
import tributary.node.Metrics;
import tributary.node.NodeState;
import tributary.processing.ResultChannels;

/**
 * Edge ingest (E2, E3): turns an ingest request into envelopes under the node's grant (permitted
 * data types, default priority), hands them to a gateway as one batch and answers with the commit
 * receipt, which exists only once the records are in PostgreSQL. The HTTP face of an edge node
 * runs it on the loop that took the request: as a verticle of its own it cost two event-bus hops
 * between threads per request, and without them a single post costs the node about a sixth less
 * CPU (issue 16).
 */
public final class EdgeIngest {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeIngest.class);
  private final Vertx vertx;
  private final Supplier<NodeConfig> config;
  private final Timer parseTime;

  public EdgeIngest(Vertx vertx, Supplier<NodeConfig> config) {
    this.vertx = vertx;
    this.config = config;
    this.parseTime = Metrics.timer(Metrics.registry(config.get()), "tributary.ingest.parse",
        "edge: parsing one request's body into envelopes");
  }

  /**
   * The records' receipt, or the ids whose commit is unknown; fails with a {@link Refusal} when
   * nothing was committed and the client should not simply retry (bad records, a full gateway).
   */
  public Future<IngestReply> ingest(IngestRequest request) {
    // Without a key of the client's, one is made here: an answer of unknown outcome names it, so
    // the client can retry with it and store nothing twice.
    String key = request.idempotencyKey() != null ? request.idempotencyKey() : Ids.newId();
    NodeConfig now = config.get();
    EnvelopeBatch batch;
    long started = System.nanoTime();
    try {
      batch = envelopes(request, key, now);
      parseTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    } catch (Refusal e) {
      return Future.failedFuture(e);
    }
    long budget = TimeBudget.forwardTimeoutMs(now.forwardTimeoutMs(), batch.envelopes().size());
    Promise<IngestReply> answer = Promise.promise();
    submit(answer, batch, key, budget, System.currentTimeMillis() + GatewayRetry.deadlineMs(budget), 0, false);
    return answer.future();
  }

  /**
   * Hands the batch to a gateway. A gateway that does not answer within two forward budgets, is
   * gone, or fails on its side is replaced by the next one the bus offers (failover, E4); resending
   * the same envelope ids is safe because core de-duplicates them. A refusal such as 429 or 400
   * goes straight back to the client. Once any attempt may have committed, a failure is never
   * answered as a refusal: the answer says the outcome is unknown and names the ids (E2).
   */
  private void submit(Promise<IngestReply> answer, EnvelopeBatch batch, String key, long budget, long deadline,
      int attempt, boolean mayHaveCommitted) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(2 * budget);
    vertx.eventBus().<CommitReceipt>request(Addresses.GATEWAY_IN, batch, options)
        .onSuccess(reply -> answer.complete(IngestReply.committed(key, reply.body())))
        .onFailure(e -> {
          GatewayRetry next = GatewayRetry.after(e, attempt, mayHaveCommitted, System.currentTimeMillis(), deadline);
          String firstId = batch.firstId();
          String requestId = batch.requestId();
          switch (next.action()) {
            case RETRY -> {
              LogIds.record(LOG.atWarn(), firstId, requestId).log(
                  "gateway attempt failed, trying again [envelope: {}, request: {}, attempt: {}, cause: {}]",
                  firstId, requestId, attempt + 1, e.getMessage());
              vertx.setTimer(next.delayMs(),
                  t -> submit(answer, batch, key, budget, deadline, attempt + 1, next.mayHaveCommitted()));
            }
            case UNKNOWN -> {
              LogIds.record(LOG.atWarn(), firstId, requestId).log(
                  "outcome unknown [envelope: {}, request: {}, envelopes: {}, key: {}, cause: {}]", firstId,
                  requestId, batch.envelopes().size(), key, e.getMessage());
              answer.complete(IngestReply.unknown(key, batch.envelopes().stream().map(Envelope::id).toList()));
            }
            case REFUSE -> answer.fail(next.refusal());
          }
        });
  }

  private EnvelopeBatch envelopes(IngestRequest request, String key, NodeConfig config) {
    EdgeGrant grant = NodeState.grant(vertx);
    if (grant == null) {
      throw new Refusal(503, "unavailable", "this edge has not registered with management yet");
    }
    if (!grant.speaks(Envelope.PROTOCOL_VERSION)) {
      // Records built in a protocol the core does not take would be refused at every hop; say so here.
      throw new Refusal(503, "unavailable", "management granted envelope protocol v" + grant.protocolVersion()
          + " but this edge speaks v" + Envelope.PROTOCOL_VERSION + "; upgrade the edge node");
    }
    if (ResultChannels.isSystemChannel(request.channel())) {
      throw Refusal.forbidden("'" + request.channel() + "' is a result channel, written only by core");
    }
    List<RecordParser.Input> inputs = RecordParser.parse(request.body(), request.ndjson(), config.maxPayloadBytes());
    long now = System.currentTimeMillis();
    List<Envelope> envelopes = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      RecordParser.Input in = inputs.get(i);
      if (!grant.permits(in.type())) {
        throw Refusal.forbidden("record " + (i + 1) + ": data type '" + in.type() + "' is not permitted at this edge");
      }
      int priority = in.priority() != null ? in.priority()
          : request.priority() != null ? request.priority() : grant.defaultPriority();
      String id = in.id() != null ? in.id() : Ids.derived(request.sender(), request.channel(), key, i);
      envelopes.add(new Envelope(id, config.nodeId(), request.channel(), in.type(), priority, now, request.sender(),
          in.destination(), in.payload(), in.blobRef()));
    }
    return new EnvelopeBatch(request.requestId(), envelopes);
  }
}
