package tributary.placement;

import io.vertx.core.json.JsonObject;

/**
 * What a storage node's heartbeat says about it (S2, S4): where it is and how busy. Rates are
 * bytes per second over the last heartbeat period; capacities are what the node can do at most
 * (disk and network: the most it achieved, or the configured figure if more); CPU and memory are
 * shares of the machine in use, with its capacity as GHz x cores and physical bytes; pending work
 * is the seed's weighed f_i ({@link PendingWork}), with the hours of video and audio it counts.
 */
public record StoreLoad(
    String storeId,
    String hostNode,
    String site,
    String url,
    double cpu,
    double memory,
    long diskBytesPerSecond,
    long netBytesPerSecond,
    long diskCapacityBytesPerSecond,
    long netCapacityBytesPerSecond,
    long pendingTaskBytes,
    long freeBytes,
    double cpuCapacity,
    long memoryBytes,
    double pendingWork,
    double pendingVideoHours,
    double pendingAudioHours) {

  /** A load whose capacities are unknown: CPU and memory count alike on every node, work is its bytes. */
  public StoreLoad(String storeId, String hostNode, String site, String url, double cpu, double memory,
      long diskBytesPerSecond, long netBytesPerSecond, long diskCapacityBytesPerSecond, long netCapacityBytesPerSecond,
      long pendingTaskBytes, long freeBytes) {
    this(storeId, hostNode, site, url, cpu, memory, diskBytesPerSecond, netBytesPerSecond, diskCapacityBytesPerSecond,
        netCapacityBytesPerSecond, pendingTaskBytes, freeBytes, 1, 1, pendingTaskBytes, 0, 0);
  }

  public JsonObject loadJson() {
    return new JsonObject().put("cpu", cpu).put("memory", memory).put("diskBytesPerSecond", diskBytesPerSecond)
        .put("netBytesPerSecond", netBytesPerSecond).put("diskCapacityBytesPerSecond", diskCapacityBytesPerSecond)
        .put("netCapacityBytesPerSecond", netCapacityBytesPerSecond).put("pendingTaskBytes", pendingTaskBytes)
        .put("cpuCapacity", cpuCapacity).put("memoryBytes", memoryBytes).put("pendingWork", pendingWork)
        .put("pendingVideoHours", pendingVideoHours).put("pendingAudioHours", pendingAudioHours);
  }

  /** A node known only by where it is, for placement among holders whose load does not matter. */
  public static StoreLoad unmeasured(String storeId, String hostNode, String site) {
    return new StoreLoad(storeId, hostNode, site, "", 0, 0, 0, 0, 1, 1, 0, 0);
  }

  public static StoreLoad of(String storeId, String hostNode, String site, String url, long freeBytes, JsonObject load) {
    return new StoreLoad(storeId, hostNode, site, url, load.getDouble("cpu", 0.0), load.getDouble("memory", 0.0),
        load.getLong("diskBytesPerSecond", 0L), load.getLong("netBytesPerSecond", 0L),
        load.getLong("diskCapacityBytesPerSecond", 1L), load.getLong("netCapacityBytesPerSecond", 1L),
        load.getLong("pendingTaskBytes", 0L), freeBytes, load.getDouble("cpuCapacity", 1.0),
        load.getLong("memoryBytes", 1L), load.getDouble("pendingWork", (double) load.getLong("pendingTaskBytes", 0L)),
        load.getDouble("pendingVideoHours", 0.0), load.getDouble("pendingAudioHours", 0.0));
  }

  public JsonObject toJson() {
    return new JsonObject().put("storeId", storeId).put("hostNode", hostNode).put("site", site).put("url", url)
        .put("freeBytes", freeBytes).put("load", loadJson());
  }
}
