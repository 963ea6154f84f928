package tributary.bus;

import java.util.Map;

/**
 * A node's status report to management (D8), sent every status-period-ms. Percentages are 0..100;
 * network figures are bytes over every interface (counters since boot, and rates between this
 * report and the last); {@code gauges} are the figures the node's verticles publish
 * ({@link tributary.node.NodeState}), such as the gateway's queued batches and open SSE streams.
 */
public record NodeStatus(String nodeId, long at, double cpuPercent, double memoryPercent, double diskPercent,
    long taskBacklog, long userBacklog, double netInBytesPerSecond, double netOutBytesPerSecond, long netInBytes,
    long netOutBytes, Map<String, Long> gauges, Commands commands) {
  public NodeStatus {
    gauges = Map.copyOf(gauges);
  }

  /** The node's commands (D9): counts since it started, the one running and the last finished. */
  public record Commands(long done, long failed, Long runningId, String running, Long lastId, String lastState) {}
}
