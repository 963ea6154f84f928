package tributary.gateway;

import java.util.ArrayDeque;

/**
 * Bounded FIFO queues, one per priority level (0 = most urgent), drained in priority order with
 * aging (E4): the head of level L competes as if its level were {@code L - waited / agingStepMs}.
 * So the head of level L is never passed over once it has waited {@code L * agingStepMs} longer
 * than the head of level 0: low levels are slowed, never starved. Not thread-safe; one event loop
 * owns it.
 */
public final class PriorityQueues<T> {
  private record Entry<T>(T item, long enqueuedAt) {}

  private final ArrayDeque<Entry<T>>[] levels;
  private final int capacityPerLevel;
  private final long agingStepMs;
  private int size;

  @SuppressWarnings("unchecked")
  public PriorityQueues(int levelCount, int capacityPerLevel, long agingStepMs) {
    if (levelCount < 1 || capacityPerLevel < 1 || agingStepMs < 1) {
      throw new IllegalArgumentException("levels, capacity and aging step must be positive");
    }
    this.levels = new ArrayDeque[levelCount];
    for (int i = 0; i < levelCount; i++) {
      levels[i] = new ArrayDeque<>();
    }
    this.capacityPerLevel = capacityPerLevel;
    this.agingStepMs = agingStepMs;
  }

  /** Adds at the tail of its level; false when that level is full. */
  public boolean offer(int level, T item, long now) {
    ArrayDeque<Entry<T>> queue = levels[level];
    if (queue.size() >= capacityPerLevel) {
      return false;
    }
    queue.addLast(new Entry<>(item, now));
    size++;
    return true;
  }

  /**
   * Puts an item back at the head of its level, keeping its original enqueue time; used for
   * redelivery, so it never fails for lack of room (the item was already admitted once).
   */
  public void requeue(int level, T item, long enqueuedAt) {
    levels[level].addFirst(new Entry<>(item, enqueuedAt));
    size++;
  }

  /** The next item to forward, or null when all levels are empty. */
  public T poll(long now) {
    int best = -1;
    double bestScore = Double.MAX_VALUE;
    for (int level = 0; level < levels.length; level++) {
      Entry<T> head = levels[level].peekFirst();
      if (head != null) {
        double score = level - (double) (now - head.enqueuedAt()) / agingStepMs;
        if (score < bestScore) {
          bestScore = score;
          best = level;
        }
      }
    }
    if (best < 0) {
      return null;
    }
    size--;
    return levels[best].pollFirst().item();
  }

  public int size() {
    return size;
  }

  public int size(int level) {
    return levels[level].size();
  }
}
