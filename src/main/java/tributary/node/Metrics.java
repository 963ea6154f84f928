package tributary.node;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import tributary.config.NodeConfig;

/** The node's own meters (X4), published at /metrics beside Vert.x's. */
public final class Metrics {
  private Metrics() {}

  /** The node's registry; a private one when metrics are off (e.g. a verticle deployed alone). */
  public static MeterRegistry registry(NodeConfig config) {
    MeterRegistry registry = BackendRegistries.getNow(config.nodeId());
    return registry != null ? registry : new SimpleMeterRegistry();
  }

  /**
   * Removes the node's own meters, whose gauges read the objects of the verticles that made them;
   * a restart (D9) calls it between undeploying and deploying them again, so the new ones count.
   */
  public static void dropOwn(NodeConfig config) {
    MeterRegistry registry = registry(config);
    registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(OWN_PREFIX)).toList()
        .forEach(registry::remove);
  }

  private static final String OWN_PREFIX = "tributary.";

  /** {@code tributary_build_info{version="..."} 1}: which build each node runs, for dashboards and upgrades. */
  public static void registerBuildInfo(NodeConfig config) {
    io.micrometer.core.instrument.Gauge.builder(OWN_PREFIX + "build.info", () -> 1)
        .description("the build this node runs").tag("version", BuildInfo.version())
        .tag("java", String.valueOf(Runtime.version().feature())).register(registry(config));
  }

  /** A count that only grows ({@code _total} in Prometheus), adding up across nodes with {@code rate()}. */
  public static io.micrometer.core.instrument.Counter counter(MeterRegistry registry, String name, String description) {
    return io.micrometer.core.instrument.Counter.builder(name).description(description).register(registry);
  }

  /**
   * A latency as a Prometheus histogram: its buckets add up across nodes, where quantiles do not.
   * They start at 10 µs, since some stages of a request (parsing, a notice's way to its streams)
   * take well under the default first bucket of 1 ms.
   */
  public static Timer timer(MeterRegistry registry, String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
  }

  /** A size as a Prometheus histogram, aggregatable across nodes. */
  public static DistributionSummary summary(MeterRegistry registry, String name, String description) {
    return DistributionSummary.builder(name).description(description).publishPercentileHistogram()
        .register(registry);
  }
}
