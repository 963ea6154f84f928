package verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tributary.Codecs;
import tributary.bus.Addresses;
import tributary.bus.CommitReceipt;
import tributary.bus.CoreBatch;
import tributary.bus.CoreReceipt;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;
import tributary.config.NodeConfig;

/**
 * E4: the gateway hands batches to core as they come while core has room, and orders only the
 * backlog beyond that by priority. Core here is a consumer that holds every forward until the test
 * answers it.
 */
class GatewayRouterTest {
  private Vertx vertx;
  private final LinkedBlockingQueue<Message<CoreBatch>> forwards = new LinkedBlockingQueue<>();

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    await(vertx.eventBus().<CoreBatch>consumer(Addresses.CORE_IN, forwards::add).completion());
    await(vertx.deployVerticle(new GatewayRouterVerticle(),
        new DeploymentOptions().setConfig(NodeConfig.from(Map.of("node-id", "gw-test")).toJson())));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static EnvelopeBatch batch(int priority, int envelopes) {
    List<Envelope> list = IntStream.range(0, envelopes).mapToObj(i -> new Envelope(UUID.randomUUID().toString(),
        "edge-1", "c", "reading", priority, 0, "alice", null, "{}", null)).toList();
    return new EnvelopeBatch("request-p" + priority + "-" + envelopes, list);
  }

  private Future<Message<Object>> send(EnvelopeBatch batch) {
    return vertx.eventBus().request(Addresses.GATEWAY_IN, batch);
  }

  private Message<CoreBatch> nextForward() throws InterruptedException {
    Message<CoreBatch> forward = forwards.poll(5, TimeUnit.SECONDS);
    assertNotNull(forward, "core received no forward within 5 s");
    return forward;
  }

  /** Core's answer to a forward: each group committed at made-up cursors. */
  private static void commit(Message<CoreBatch> forward) {
    List<CoreReceipt.Outcome> outcomes = new ArrayList<>();
    for (EnvelopeBatch group : forward.body().groups()) {
      outcomes.add(CoreReceipt.Outcome.committed(new CommitReceipt(group.envelopes().stream()
          .map(e -> new CommitReceipt.Committed(e.id(), e.channel(), 1, false)).toList())));
    }
    forward.reply(new CoreReceipt(outcomes));
  }

  @Test
  void aBatchReachesCoreWhileTheForwardsBeforeItAreStillCommitting() throws Exception {
    List<Future<Message<Object>>> answers = new ArrayList<>();
    List<Message<CoreBatch>> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(send(batch(5, 1)));
      // each reaches core though none before it is answered yet (forwards of one channel's records
      // then join its next statement in core instead of waiting here for the statements before)
      held.add(nextForward());
    }
    held.forEach(GatewayRouterTest::commit);
    for (Future<Message<Object>> answer : answers) {
      CommitReceipt receipt = (CommitReceipt) await(answer).body();
      assertEquals(1, receipt.records().size());
    }
  }

  @Test
  void aBacklogBeyondWhatCoreHoldsIsForwardedMostUrgentFirst() throws Exception {
    Future<Message<Object>> big = send(batch(5, GatewayRouterVerticle.MAX_ENVELOPES_IN_FLIGHT));
    Message<CoreBatch> first = nextForward();
    Future<Message<Object>> low = send(batch(9, 1));
    Future<Message<Object>> urgent = send(batch(0, 1));
    // both wait while core holds the window's worth, so the next forward carries them in priority
    // order (the sends and core's answer reach the gateway's event loop in this order)
    commit(first);
    Message<CoreBatch> next = nextForward();
    assertEquals(List.of("request-p0-1", "request-p9-1"),
        next.body().groups().stream().map(EnvelopeBatch::requestId).toList());
    commit(next);
    await(Future.all(big, low, urgent));
  }
}
