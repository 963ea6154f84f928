package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.EdgeGrant;
import tributary.bus.StoredRecord;
import tributary.config.NodeConfig;
import tributary.fault.Backoff;
import tributary.ingest.ResultHookDelivery;
import tributary.ingest.ResultHookStore;
import tributary.node.NodeState;
import tributary.processing.ResultChannels;
import tributary.store.Pg;
import tributary.store.RecordStore;

/**
 * E6: results pushed back to the edge, as the seed feeds them back into the scene. On an edge node
 * whose grant names a result hook, or else with {@code edge-result-hook} set, every result addressed to this edge is POSTed to that URL in
 * cursor order, in batches, woken by each commit to the edge's feed and by a slow poll; a failed
 * or refused batch is retried with backoff until the hook takes it, and the cursor the hook
 * acknowledged is kept in PostgreSQL so a restart resumes after it; a hook the grant changes takes
 * over after that cursor. The pull feed
 * ({@code /v1/edge/results}) is unchanged beside it.
 */
public class EdgeResultHookVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeResultHookVerticle.class);
  private static final int BATCH = 200;
  private static final long POLL_MS = 1_000;
  private static final int HTTP_TIMEOUT_MS = 10_000;
  private static final Backoff BACKOFF = new Backoff(200, 30_000);

  private String edge;
  private String optionHook;
  private String lastHook;
  private String feed;
  private RecordStore records;
  private ResultHookStore store;
  private WebClient client;
  private ResultHookDelivery delivery;
  private boolean busy;
  private long retryTimer = -1;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    edge = config.nodeId();
    optionHook = config.edgeResultHook().orElse(null);
    feed = ResultChannels.edgeFeed(edge);
    io.vertx.sqlclient.Pool pool = Pg.pool(vertx, config);
    records = new RecordStore(pool);
    store = new ResultHookStore(pool);
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(HTTP_TIMEOUT_MS)
        .setUserAgent("tributary-edge-results"));
    vertx.setPeriodic(POLL_MS, t -> wake());
    return vertx.eventBus().consumer(Addresses.channelCommitted(feed), m -> wake()).completion()
        .onSuccess(v -> wake());
  }

  /** The hook the edge's grant names, else the edge's own option; null when neither is set. */
  private String currentHook() {
    EdgeGrant grant = NodeState.grant(vertx);
    return grant != null && grant.resultHook() != null ? grant.resultHook() : optionHook;
  }

  /** Delivers what the hook has not taken yet, unless a batch is in flight or a retry is waiting. */
  private void wake() {
    String hook = currentHook();
    if (hook == null || busy || retryTimer >= 0) {
      return;
    }
    busy = true;
    Future<ResultHookDelivery> ready = delivery != null ? Future.succeededFuture(delivery)
        : store.delivered(edge).map(delivered -> delivery = new ResultHookDelivery(edge, delivered, BACKOFF));
    ready.compose(d -> {
          if (!hook.equals(lastHook)) {
            lastHook = hook;
            LOG.info("result hook on [edge: {}, hook: {}, after cursor: {}]", edge, hook, d.delivered());
          }
          return records.readAfter(feed, d.delivered(), BATCH);
        })
        .compose(batch -> batch.isEmpty() ? Future.succeededFuture(false) : post(hook, batch))
        .onComplete(ar -> {
          busy = false;
          if (ar.failed()) {
            LOG.debug("result hook round failed [edge: {}, cause: {}]", edge, ar.cause().getMessage());
          } else if (ar.result()) {
            wake(); // the hook took a batch: there may be more
          }
        });
  }

  /** Sends one batch; true when the hook took it. */
  private Future<Boolean> post(String hook, List<StoredRecord> batch) {
    return client.postAbs(hook).timeout(HTTP_TIMEOUT_MS).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(delivery.body(batch)))
        .map(response -> response.statusCode())
        .otherwise(e -> -1)
        .compose(status -> {
          long before = delivery.delivered();
          if (status < 0) {
            delivery.unreachable();
          } else {
            delivery.answered(batch, status);
          }
          if (delivery.delivered() > before) {
            return store.acknowledged(edge, hook, delivery.delivered(), System.currentTimeMillis()).map(true);
          }
          LOG.warn("result hook did not take a batch; retrying [edge: {}, after cursor: {}, status: {}, failures: {}]",
              edge, before, status, delivery.failures());
          retryTimer = vertx.setTimer(delivery.waitMs(), t -> {
            retryTimer = -1;
            wake();
          });
          return Future.succeededFuture(false);
        });
  }
}
