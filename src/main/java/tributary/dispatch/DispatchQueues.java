package tributary.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tributary.Backoff;
import tributary.gateway.PriorityQueues;

/**
 * The tasks waiting on a worker (D4, D6): one bounded priority queue per destination worker, with
 * the gateway's aging, so each batch goes to one destination, highest levels first. A destination
 * whose batch failed is paused with capped exponential backoff, its tasks back at the head of
 * their levels with their first enqueue time; the others go on. Not thread-safe; one event loop
 * owns it.
 */
public final class DispatchQueues<T> {
  /** A task with its level and when it was first queued (its age for aging). */
  public record Entry<T>(int level, T item, long enqueuedAt) {}

  /** What to send to one destination in one request. */
  public record Batch<T>(int destination, List<Entry<T>> entries) {}

  private final class Destination {
    final PriorityQueues<Entry<T>> queue = new PriorityQueues<>(levels, capacityPerLevel, agingStepMs);
    int inFlight;
    int failures;
    long pausedUntil;
  }

  private final int levels;
  private final int capacityPerLevel;
  private final long agingStepMs;
  private final Backoff backoff;
  private final Map<Integer, Destination> destinations = new HashMap<>();
  private int size;

  public DispatchQueues(int levels, int capacityPerLevel, long agingStepMs, Backoff backoff) {
    this.levels = levels;
    this.capacityPerLevel = capacityPerLevel;
    this.agingStepMs = agingStepMs;
    this.backoff = backoff;
  }

  /** Queues a task for a destination; false when that destination's level is full. */
  public boolean offer(int destination, int level, T item, long enqueuedAt) {
    boolean taken = destinations.computeIfAbsent(destination, d -> new Destination()).queue
        .offer(level, new Entry<>(level, item, enqueuedAt), enqueuedAt);
    if (taken) {
      size++;
    }
    return taken;
  }

  /**
   * The batches to send now: for every destination that is not paused and has fewer than
   * {@code maxInFlight} batches out, up to {@code batchSize} tasks in priority order.
   */
  public List<Batch<T>> take(long now, int batchSize, int maxInFlight) {
    List<Batch<T>> out = new ArrayList<>();
    destinations.forEach((number, d) -> {
      while (d.inFlight < maxInFlight && d.pausedUntil <= now && d.queue.size() > 0) {
        List<Entry<T>> entries = new ArrayList<>();
        Entry<T> next;
        while (entries.size() < batchSize && (next = d.queue.poll(now)) != null) {
          entries.add(next);
        }
        size -= entries.size();
        d.inFlight++;
        out.add(new Batch<>(number, entries));
      }
    });
    return out;
  }

  /** A batch arrived: its destination is healthy again. */
  public void delivered(int destination) {
    Destination d = destinations.get(destination);
    d.inFlight--;
    d.failures = 0;
    d.pausedUntil = 0;
  }

  /**
   * A batch failed: its tasks go back to the head of their levels in their order, and the
   * destination pauses; returns how long.
   */
  public long failed(Batch<T> batch, long now) {
    Destination d = destinations.get(batch.destination());
    d.inFlight--;
    for (int i = batch.entries().size() - 1; i >= 0; i--) {
      Entry<T> e = batch.entries().get(i);
      d.queue.requeue(e.level(), e, e.enqueuedAt());
    }
    size += batch.entries().size();
    d.failures++;
    long delay = backoff.delayMs(d.failures);
    d.pausedUntil = Math.max(d.pausedUntil, now + delay);
    return delay;
  }

  /** Consecutive failed batches of a destination (0 when it is healthy). */
  public int failures(int destination) {
    Destination d = destinations.get(destination);
    return d == null ? 0 : d.failures;
  }

  /** Tasks waiting, not counting those out in a batch. */
  public int size() {
    return size;
  }
}
