package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.config.NodeConfig;
import tributary.export.Sink;
import tributary.export.SinkStore;
import tributary.export.SinkStore.Due;
import tributary.store.Pg;

/**
 * Webhook export (E8): delivers queued records to each sink as a JSON batch
 * {@code {"sinkId": .., "records": [..]}}; a 2xx answer acknowledges the batch, anything else
 * counts as a failed attempt and is retried with doubling backoff until the sink's maximum, after
 * which the records wait in its dead-letter list for a replay. Several exporters may run: each
 * leases what it sends.
 */
public class SinkExportVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SinkExportVerticle.class);
  private static final long TICK_MS = 200;
  private static final long LEASE_MS = 30_000;
  private static final int BATCH = 500;
  private static final int HTTP_TIMEOUT_MS = 10_000;

  private SinkStore store;
  private WebClient client;
  private boolean busy;

  @Override
  public Future<?> start() {
    NodeConfig config = NodeConfig.fromJson(config());
    store = new SinkStore(Pg.pool(vertx, config));
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(HTTP_TIMEOUT_MS)
        .setIdleTimeout(30).setUserAgent("tributary-export"));
    vertx.setPeriodic(TICK_MS, t -> tick());
    return Future.succeededFuture();
  }

  private void tick() {
    if (busy) {
      return;
    }
    busy = true;
    long now = System.currentTimeMillis();
    store.claimDue(now, LEASE_MS, BATCH)
        .compose(due -> deliverAll(due, now).map(due.size()))
        .onComplete(ar -> {
          busy = false;
          if (ar.failed()) {
            LOG.warn("export round failed: {}", ar.cause().getMessage());
          } else if (ar.result() == BATCH) {
            tick();
          }
        });
  }

  private Future<Void> deliverAll(List<Due> due, long now) {
    Map<Sink, List<Due>> bySink = new LinkedHashMap<>();
    due.forEach(d -> bySink.computeIfAbsent(d.sink(), k -> new ArrayList<>()).add(d));
    List<Future<Void>> rounds = new ArrayList<>();
    bySink.forEach((sink, batch) -> rounds.add(deliver(sink, batch, now)));
    return Future.join(rounds).mapEmpty();
  }

  private Future<Void> deliver(Sink sink, List<Due> batch, long now) {
    JsonArray records = new JsonArray();
    batch.forEach(d -> records.add(d.record().toJsonValue()));
    JsonObject body = new JsonObject().put("sinkId", sink.sinkId()).put("records", records);
    List<String> ids = batch.stream().map(d -> d.record().id()).toList();
    return client.postAbs(sink.url()).timeout(HTTP_TIMEOUT_MS).sendJsonObject(body)
        .compose(response -> response.statusCode() / 100 == 2
            ? Future.succeededFuture()
            : Future.failedFuture("HTTP " + response.statusCode()))
        .compose(v -> store.delivered(sink.sinkId(), ids).onSuccess(x -> LOG.debug(
            "exported [sink: {}, records: {}, first: {}]", sink.sinkId(), ids.size(), ids.get(0))))
        .recover(e -> {
          LOG.warn("export attempt failed [sink: {}, records: {}, first: {}, cause: {}]", sink.sinkId(), ids.size(),
              ids.get(0), e.getMessage());
          return store.failed(sink, batch, String.valueOf(e.getMessage()), now);
        });
  }

  @Override
  public Future<?> stop() {
    client.close();
    return Future.succeededFuture();
  }
}
