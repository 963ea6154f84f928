package tributary.dispatch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The dispatch topology (D1): the workers with their numbers (routes) and the worker each user is
 * bound to; {@code version} grows with every change, so a holder keeps the newest it has seen.
 */
public record Topology(long version, List<Worker> workers, Map<String, Integer> bindings) {
  public Topology {
    workers = List.copyOf(workers);
    bindings = Map.copyOf(bindings);
  }

  public static final Topology EMPTY = new Topology(0, List.of(), Map.of());

  /** A worker: its number, its node, the node's HTTP address and whether the node is live. */
  public record Worker(int number, String nodeId, String address, boolean live) {}

  /** The worker a user is bound to, or null. */
  public Integer workerOf(String userId) {
    return bindings.get(userId);
  }

  public JsonObject toJson() {
    JsonArray ws = new JsonArray();
    workers.forEach(w -> ws.add(new JsonObject().put("number", w.number()).put("node", w.nodeId())
        .put("address", w.address()).put("state", w.live() ? "live" : "down")));
    JsonArray users = new JsonArray();
    bindings.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> users.add(new JsonObject().put("user", e.getKey()).put("worker", e.getValue())));
    return new JsonObject().put("version", version).put("workers", ws).put("users", users);
  }
}
