package tributary.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Q6, X3: the node's HTTP connections, counted from accept. A connection past the limit is refused
 * (its requests get 503). A connection with no request in progress is idle: idle ones may hold at
 * most {@link #idleShare()} of the limit, the oldest idle one being closed when another would pass
 * it, so idle sockets cannot keep clients that make requests out; and an idle connection is closed
 * once it has been idle for the idle timeout. {@code C} is the connection. The node's HTTP event
 * loops share one, so its methods are synchronized (a few per connection and request).
 */
public final class ConnectionSlots<C> {
  private int limit;
  private int idleShare;
  private final long idleTimeoutMs;
  /** Open connections and their requests in progress (-1 marks one refused at accept). */
  private final Map<C, Integer> open = new HashMap<>();
  /** Idle connections and since when, oldest first. */
  private final LinkedHashMap<C, Long> idle = new LinkedHashMap<>();

  public ConnectionSlots(int limit, long idleTimeoutMs) {
    setLimit(limit);
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** A new limit (reload-config, D9): connections beyond it stay open, new ones count against it. */
  public synchronized void setLimit(int limit) {
    this.limit = limit;
    this.idleShare = limit - Math.max(1, limit / 10);
  }

  /** How many connections may be idle at once: the limit less a tenth (at least one) kept for requests. */
  public synchronized int idleShare() {
    return idleShare;
  }

  public synchronized int open() {
    return open.size();
  }

  /** A new connection; returns the idle connections to close to keep within the idle share. */
  public synchronized List<C> accepted(C connection, long now) {
    List<C> close = overIdleShare(1);
    open.put(connection, open.size() < limit ? 0 : -1);
    idle.put(connection, now);
    return close;
  }

  /** False when the connection was accepted past the limit: its requests are answered 503. */
  public synchronized boolean admitted(C connection) {
    Integer inProgress = open.get(connection);
    return inProgress != null && inProgress >= 0;
  }

  public synchronized void requestStarted(C connection) {
    open.computeIfPresent(connection, (c, n) -> n < 0 ? n : n + 1);
    idle.remove(connection);
  }

  /** A request ended; returns the idle connections to close to keep within the idle share. */
  public synchronized List<C> requestEnded(C connection, long now) {
    Integer left = open.computeIfPresent(connection, (c, n) -> n < 0 ? n : Math.max(0, n - 1));
    if (left == null || left != 0) {
      return List.of();
    }
    List<C> close = overIdleShare(1);
    idle.put(connection, now);
    return close;
  }

  public synchronized void closed(C connection) {
    open.remove(connection);
    idle.remove(connection);
  }

  /** The connections idle for the idle timeout by {@code now}, no longer counted; the caller closes them. */
  public synchronized List<C> expired(long now) {
    List<C> out = new ArrayList<>();
    for (Iterator<Map.Entry<C, Long>> it = idle.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<C, Long> e = it.next();
      if (now - e.getValue() < idleTimeoutMs) {
        break;
      }
      it.remove();
      open.remove(e.getKey());
      out.add(e.getKey());
    }
    return out;
  }

  /** The oldest idle connections to close so that {@code joining} more fit in the idle share. */
  private List<C> overIdleShare(int joining) {
    List<C> out = new ArrayList<>();
    Iterator<C> oldest = idle.keySet().iterator();
    while (idle.size() + joining > idleShare && oldest.hasNext()) {
      C c = oldest.next();
      oldest.remove();
      open.remove(c);
      out.add(c);
    }
    return out;
  }
}
