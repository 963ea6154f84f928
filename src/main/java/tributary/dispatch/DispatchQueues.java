package tributary.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import tributary.fault.Backoff;
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
    // The bound is kept here, over tasks waiting, out in a batch or about to be stored.
    final PriorityQueues<Entry<T>> queue = new PriorityQueues<>(levels, Integer.MAX_VALUE, agingStepMs);
    final int[] held = new int[levels];
    int inFlight;
    int failures;
    long pausedUntil;
  }

  private final int levels;
  private final int capacityPerLevel;
  private final long agingStepMs;
  private final Backoff backoff;
  private final ToLongFunction<T> weight;
  private final Map<Integer, Destination> destinations = new HashMap<>();
  private int size;

  /** @param weight what a task weighs toward a batch's bound (its data's size) */
  public DispatchQueues(int levels, int capacityPerLevel, long agingStepMs, Backoff backoff, ToLongFunction<T> weight) {
    this.levels = levels;
    this.capacityPerLevel = capacityPerLevel;
    this.agingStepMs = agingStepMs;
    this.backoff = backoff;
    this.weight = weight;
  }

  /**
   * Holds room for a task at a destination and level before it is stored; false when the level is
   * full (the sender is told to retry later). Follow with {@link #fill} or {@link #cancel}.
   */
  public boolean reserve(int destination, int level) {
    Destination d = destination(destination);
    if (d.held[level] >= capacityPerLevel) {
      return false;
    }
    d.held[level]++;
    return true;
  }

  /** Queues a task in the room reserved for it. */
  public void fill(int destination, int level, T item, long enqueuedAt) {
    destination(destination).queue.offer(level, new Entry<>(level, item, enqueuedAt), enqueuedAt);
    size++;
  }

  /** Gives back room reserved for a task that was not stored. */
  public void cancel(int destination, int level) {
    destination(destination).held[level]--;
  }

  /** Queues a task that is already durable (found after a restart), whatever the bound. */
  public void add(int destination, int level, T item, long enqueuedAt) {
    destination(destination).held[level]++;
    fill(destination, level, item, enqueuedAt);
  }

  private Destination destination(int number) {
    return destinations.computeIfAbsent(number, n -> new Destination());
  }

  /**
   * The batches to send now: for every destination that is not paused and has fewer than
   * {@code maxInFlight} batches out, up to {@code batchSize} tasks in priority order, and no more
   * than {@code maxWeight} in all unless one task alone weighs more.
   */
  public List<Batch<T>> take(long now, int batchSize, long maxWeight, int maxInFlight) {
    List<Batch<T>> out = new ArrayList<>();
    destinations.forEach((number, d) -> {
      while (d.inFlight < maxInFlight && d.pausedUntil <= now && d.queue.size() > 0) {
        List<Entry<T>> entries = new ArrayList<>();
        long weighed = 0;
        Entry<T> next;
        while (entries.size() < batchSize && (next = d.queue.poll(now)) != null) {
          long w = weight.applyAsLong(next.item());
          if (!entries.isEmpty() && weighed + w > maxWeight) {
            d.queue.requeue(next.level(), next, next.enqueuedAt());
            break;
          }
          entries.add(next);
          weighed += w;
        }
        size -= entries.size();
        d.inFlight++;
        out.add(new Batch<>(number, entries));
      }
    });
    return out;
  }

  /** A batch arrived: its tasks leave the queues and its destination is healthy again. */
  public void delivered(Batch<T> batch) {
    Destination d = destinations.get(batch.destination());
    batch.entries().forEach(e -> d.held[e.level()]--);
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
