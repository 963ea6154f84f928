package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.CommitReceipt;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;
import tributary.bus.Ids;
import tributary.bus.IngestReply;
import tributary.bus.IngestRequest;
import tributary.config.NodeConfig;
import tributary.fault.Backoff;
import tributary.fault.Refusal;
import tributary.http.Failures;
import tributary.ingest.RecordParser;
import tributary.ingest.TimeBudget;
import tributary.node.NodeState;
import tributary.processing.ResultChannels;

/**
 * Edge ingest (E2, E3): turns an ingest request into envelopes under the node's grant (permitted
 * data types, default priority), hands them to a gateway as one batch and answers with the commit
 * receipt, which exists only once the records are in PostgreSQL.
 */
public class EdgeIngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeIngestVerticle.class);
  /** Waits between gateway attempts: 100 ms doubling to 1 s. */
  private static final Backoff GATEWAY_RETRY = new Backoff(100, 1000);
  private NodeConfig config;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    return vertx.eventBus().<IngestRequest>localConsumer(Addresses.EDGE_INGEST, this::ingest).completion();
  }

  private void ingest(Message<IngestRequest> message) {
    IngestRequest request = message.body();
    // Without a key of the client's, one is made here: an answer of unknown outcome names it, so
    // the client can retry with it and store nothing twice.
    String key = request.idempotencyKey() != null ? request.idempotencyKey() : Ids.newId();
    EnvelopeBatch batch;
    try {
      batch = envelopes(request, key);
    } catch (Refusal e) {
      message.fail(e.status(), e.getMessage());
      return;
    }
    long budget = TimeBudget.forwardTimeoutMs(config.forwardTimeoutMs(), batch.envelopes().size());
    submit(message, batch, key, budget, System.currentTimeMillis() + ingestDeadlineMs(budget), 0, false);
  }

  /** How long an ingest request may take in all, across gateway attempts, given one hop's budget. */
  private static long ingestDeadlineMs(long forwardBudgetMs) {
    return 5 * forwardBudgetMs;
  }

  /**
   * Hands the batch to a gateway. A gateway that does not answer within two forward budgets, is
   * gone, or fails on its side is replaced by the next one the bus offers (failover, E4); resending
   * the same envelope ids is safe because core de-duplicates them. A refusal such as 429 or 400
   * goes straight back to the client. Once any attempt may have committed, a failure is never
   * answered as a refusal: the answer says the outcome is unknown and names the ids (E2).
   */
  private void submit(Message<IngestRequest> message, EnvelopeBatch batch, String key, long budget, long deadline,
      int attempt, boolean mayHaveCommitted) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(2 * budget);
    vertx.eventBus().<CommitReceipt>request(Addresses.GATEWAY_IN, batch, options)
        .onSuccess(reply -> message.reply(IngestReply.committed(key, reply.body())))
        .onFailure(e -> {
          boolean unknown = mayHaveCommitted || Failures.mayHaveTakenEffect(e);
          Refusal error = Failures.classify(e, -1);
          long backoffMs = GATEWAY_RETRY.delayMs(attempt + 1);
          String firstId = batch.envelopes().get(0).id();
          if (error.status() >= 500 && !answeredUnavailable(e) && System.currentTimeMillis() + backoffMs < deadline) {
            LOG.warn("gateway attempt failed, trying again [envelope: {}, attempt: {}, cause: {}]",
                firstId, attempt + 1, e.getMessage());
            vertx.setTimer(backoffMs, t -> submit(message, batch, key, budget, deadline, attempt + 1, unknown));
          } else if (unknown) {
            LOG.warn("outcome unknown [envelope: {}, envelopes: {}, key: {}, cause: {}]", firstId,
                batch.envelopes().size(), key, e.getMessage());
            message.reply(IngestReply.unknown(key, batch.envelopes().stream().map(Envelope::id).toList()));
          } else {
            message.fail(error.status(), error.getMessage());
          }
        });
  }

  /**
   * A gateway that answers 503 is alive and passes on a definite refusal (core's database is
   * unreachable, or no core took the batch): another gateway would meet the same, so the client
   * hears it at once, with Retry-After. An unknown outcome (504) is tried again: the same ids are safe.
   */
  private static boolean answeredUnavailable(Throwable e) {
    return e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == 503;
  }

  private EnvelopeBatch envelopes(IngestRequest request, String key) {
    EdgeGrant grant = NodeState.grant(vertx);
    if (grant == null) {
      throw new Refusal(503, "unavailable", "this edge has not registered with management yet");
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
    return new EnvelopeBatch(envelopes);
  }
}
