package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.bus.CommandNotice;
import tributary.bus.EdgeGrant;
import tributary.bus.Registered;
import tributary.bus.NodeRegistration;
import tributary.bus.NodeStatus;
import tributary.cache.CacheKeys;
import tributary.cache.KeyScan;
import tributary.cache.RedisClients;
import tributary.command.CacheDrop;
import tributary.command.CommandState;
import tributary.command.NodeCommand;
import tributary.command.NodeCommandStore;
import tributary.config.ConfigReload;
import tributary.config.NodeConfig;
import tributary.node.NodeState;
import tributary.status.HostSample;
import tributary.status.HostSampler;
import tributary.status.LoadProbe;
import tributary.store.Pg;

/**
 * Runs on every node: registers it with management at start (E1) and again every few seconds, which
 * doubles as its heartbeat, and keeps the grant management answers with for the node's verticles.
 * Registration is retried until management answers, so nodes may start in any order. It reports
 * the node's status every status-period-ms (D8) and runs the node's commands (D9): fetched every
 * command-poll-ms and at once on a notice, one at a time, each claimed before it runs. A restart
 * redeploys every verticle but this one, which reports how it went.
 */
public class NodeAgentVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentVerticle.class);
  static final long REGISTER_EVERY_MS = 5_000;
  private static final long RETRY_MS = 500;

  private NodeConfig config;
  private NodeRegistration registration;
  private boolean registered;
  /** This process's own mark, so management can tell a restart from a second process with our id. */
  private final String instance = tributary.bus.Ids.newId();
  private boolean refusedLogged;
  private String runBy;
  private NodeCommandStore commands;
  private CacheDrop cacheDrop;
  private HostSampler sampler;
  private HostSample lastSample;
  private boolean fetching;
  private boolean fetchAgain;
  private NodeCommandStore.Command running;
  private long lastId = -1;
  private CommandState lastState;

  @Override
  public Future<?> start() {
    config = NodeConfig.fromJson(config());
    runBy = config.nodeId() + "@" + config.publicUrl();
    commands = new NodeCommandStore(Pg.ownPool(vertx, config, 2));
    Redis redis = RedisClients.create(vertx, config);
    cacheDrop = new CacheDrop(redis, new CacheKeys(config.redisPrefix()), new KeyScan(vertx, redis, config));
    sampler = new HostSampler(config.dataDir());
    vertx.eventBus().consumer(Addresses.nodeInstance(instance), m -> m.reply(null));
    vertx.eventBus().<EdgeGrant>consumer(Addresses.nodeGrant(config.nodeId()),
        m -> {
          NodeState.setGrant(vertx, m.body());
          m.reply(null);
        });
    NodeControl.onReload(vertx, config.nodeId(), reloaded -> config = reloaded);
    Future<?> notices = vertx.eventBus().<CommandNotice>consumer(Addresses.nodeCommands(config.nodeId()),
        m -> fetchCommands()).completion();
    Future<?> described = vertx.executeBlocking(() -> describe(config, instance)).onSuccess(r -> {
      registration = r;
      register();
    });
    Future<?> sampled = vertx.executeBlocking(sampler::sample).onSuccess(s -> {
      lastSample = s;
      vertx.setTimer(config.status().periodMs(), t -> report());
    });
    // A command this process left running when it last stopped did not finish: say so, then look.
    Future<?> interrupted = commands.failInterrupted(config.nodeId(), runBy, System.currentTimeMillis())
        .onComplete(ar -> {
          fetchCommands();
          vertx.setPeriodic(config.status().commandPollMs(), t -> fetchCommands());
        });
    return Future.all(notices, described, sampled, interrupted.otherwiseEmpty());
  }

  private static NodeRegistration describe(NodeConfig config, String instance) throws IOException {
    Files.createDirectories(config.dataDir());
    long disk = Files.getFileStore(config.dataDir()).getTotalSpace();
    return new NodeRegistration(config.nodeId(), config.roles().stream().map(r -> r.id()).toList(), config.site(),
        config.publicUrl(), Runtime.getRuntime().availableProcessors(), LoadProbe.totalMemoryBytes(), disk, instance);
  }

  private void register() {
    vertx.eventBus().<Registered>request(Addresses.MANAGEMENT_REGISTER, registration,
            new DeliveryOptions().setSendTimeout(REGISTER_EVERY_MS))
        .onSuccess(reply -> {
          Registered answer = reply.body();
          Registered before = NodeState.registered(vertx);
          NodeState.setGrant(vertx, answer.grant());
          NodeState.setRegistered(vertx, answer);
          if (before == null || !before.address().equals(answer.address())) {
            LOG.info("management assigned [node: {}, number: {}, address: {} ({})]", registration.nodeId(),
                answer.nodeNumber(), answer.address(), answer.addressSource());
          }
          if (!registered) {
            registered = true;
            refusedLogged = false;
            LOG.info("registered with management [node: {}, roles: {}]", registration.nodeId(), registration.roles());
          }
          vertx.setTimer(REGISTER_EVERY_MS, t -> register());
        })
        .onFailure(e -> {
          if (e instanceof ReplyException refused && refused.failureCode() == 409) {
            // Two processes that registered at the same moment both got an answer; the one that
            // lost the id steps back here, at its next registration.
            registered = false;
            NodeState.dropGrant(vertx);
            if (!refusedLogged) {
              refusedLogged = true;
              LOG.error("management refuses this node: {} (it keeps asking, and takes the id once that process "
                  + "is gone)", e.getMessage());
            }
          } else {
            LOG.debug("registration not answered [node: {}, cause: {}]", registration.nodeId(), e.getMessage());
          }
          vertx.setTimer(registered ? REGISTER_EVERY_MS : RETRY_MS, t -> register());
        });
  }

  /** D8: samples the host on a worker, sends the report to management, and plans the next at the current period. */
  private void report() {
    vertx.executeBlocking(() -> {
      HostSample now = sampler.sample();
      Double cpu = now.cpuPercentSince(lastSample);
      return Map.entry(now, cpu != null ? cpu : sampler.jvmCpuPercent());
    }).onSuccess(sampled -> {
      HostSample before = lastSample;
      HostSample now = sampled.getKey();
      lastSample = now;
      Map<String, Long> gauges = new HashMap<>(NodeState.gauges(vertx));
      NodeStatus.Commands commandStatus = commandStatus(gauges.getOrDefault(NodeState.COMMANDS_DONE, 0L),
          gauges.getOrDefault(NodeState.COMMANDS_FAILED, 0L));
      gauges.keySet().removeAll(java.util.Set.of(NodeState.COMMANDS_DONE, NodeState.COMMANDS_FAILED));
      vertx.eventBus().send(Addresses.MANAGEMENT_STATUS, new NodeStatus(config.nodeId(), System.currentTimeMillis(),
          sampled.getValue(), now.memoryPercent(), now.diskPercent(), gauges.getOrDefault(NodeState.TASK_BACKLOG, 0L),
          gauges.getOrDefault(NodeState.USER_BACKLOG, 0L), now.netInPerSecondSince(before),
          now.netOutPerSecondSince(before), now.netInBytes(), now.netOutBytes(), gauges, commandStatus));
    }).onFailure(e -> LOG.debug("status not sampled [node: {}, cause: {}]", config.nodeId(), e.getMessage()))
        .onComplete(ar -> vertx.setTimer(config.status().periodMs(), t -> report()));
  }

  private NodeStatus.Commands commandStatus(long done, long failed) {
    return new NodeStatus.Commands(done, failed, running == null ? null : running.id(), running == null ? null : running.command(),
        lastState == null ? null : lastId, lastState == null ? null : lastState.id());
  }

  /** D9: claims and runs the node's queued commands one at a time; a fetch asked for meanwhile looks again after. */
  private void fetchCommands() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    fetchAgain = false;
    commands.claim(config.nodeId(), runBy, System.currentTimeMillis())
        .compose(claimed -> claimed == null ? Future.succeededFuture(false) : run(claimed).map(true))
        .onComplete(ar -> {
          fetching = false;
          if (ar.failed()) {
            LOG.warn("commands not fetched [node: {}, cause: {}]", config.nodeId(), ar.cause().getMessage());
          } else if (ar.result() || fetchAgain) {
            fetchCommands();
          }
        });
  }

  private Future<Void> run(NodeCommandStore.Command command) {
    running = command;
    LOG.info("running command [command: {}, id: {}, node: {}, args: {}, process: {}]", command.command(), command.id(),
        config.nodeId(), command.args().encode(), runBy);
    Future<String> output;
    try {
      output = execute(command.parsed());
    } catch (RuntimeException e) {
      output = Future.failedFuture(e);
    }
    return output.transform(ar -> {
      CommandState state = ar.succeeded() ? CommandState.DONE : CommandState.FAILED;
      String text = ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage());
      NodeState.addToGauge(vertx, state == CommandState.DONE ? NodeState.COMMANDS_DONE : NodeState.COMMANDS_FAILED, 1);
      LOG.info("command {} [command: {}, id: {}, node: {}, output: {}]", state.id(), command.command(), command.id(),
          config.nodeId(), text);
      running = null;
      lastId = command.id();
      lastState = state;
      return commands.finish(command.id(), state, text, System.currentTimeMillis());
    }).mapEmpty();
  }

  private Future<String> execute(NodeCommand command) {
    NodeControl control = NodeControl.of(vertx);
    return switch (command.kind()) {
      case RESTART -> control.restart();
      case CLEAR_CACHE -> cacheDrop.drop(command.scope())
          .map(n -> "dropped " + n + " key" + (n == 1 ? "" : "s") + " of " + command.scope().describe());
      case RELOAD_CONFIG -> vertx.executeBlocking(() -> control.reload(System.getenv())).map(ConfigReload::output);
    };
  }
}
