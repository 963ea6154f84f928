package tributary.processing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Groups core's pending writes into statements (issue 16). A statement locks the counter row of
 * every channel it writes until it commits, so two statements of one core that share a channel
 * only wait on each other. Here a channel belongs to at most one statement in flight; what
 * arrives for it meanwhile waits and goes with the next one (group commit that fills under load
 * and waits for nothing when idle), while statements of other channels run beside it. A
 * statement costs the database far more than a row, so a few statements in flight carry every
 * free channel between them rather than one statement per channel. Items keep their arrival
 * order per channel: one that must wait holds back every later item sharing a channel with it.
 * Not thread-safe: confined to the verticle that owns it.
 *
 * @param <T> an item to commit, e.g. one edge batch with its results
 */
public final class CommitLanes<T> {
  /** Items committed together, and the channels they hold until {@link #done}. */
  public record Group<T>(List<T> items, Set<String> channels, int size) {}

  private final Function<T, Set<String>> channelsOf;
  private final ToIntFunction<T> sizeOf;
  private final int maxGroupSize;
  private final int maxGroupsInFlight;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final Set<String> busy = new HashSet<>();
  private int inFlight;

  /**
   * @param channelsOf the channels an item writes
   * @param sizeOf an item's records, counted against {@code maxGroupSize} (a larger item goes alone)
   * @param maxGroupsInFlight statements at once, e.g. the connections they can use
   */
  public CommitLanes(Function<T, Set<String>> channelsOf, ToIntFunction<T> sizeOf, int maxGroupSize,
      int maxGroupsInFlight) {
    if (maxGroupSize < 1 || maxGroupsInFlight < 1) {
      throw new IllegalArgumentException("group size and groups in flight must be positive");
    }
    this.channelsOf = channelsOf;
    this.sizeOf = sizeOf;
    this.maxGroupSize = maxGroupSize;
    this.maxGroupsInFlight = maxGroupsInFlight;
  }

  public void add(T item) {
    waiting.add(item);
  }

  /** Items not yet in a group. */
  public int waiting() {
    return waiting.size();
  }

  /**
   * The groups that can start now, in the order of their first items; their channels are busy
   * until each group is {@link #done}.
   */
  public List<Group<T>> take() {
    if (inFlight >= maxGroupsInFlight || waiting.isEmpty()) {
      return List.of();
    }
    List<Builder<T>> built = new ArrayList<>();
    Set<String> blocked = new HashSet<>(busy);
    Map<String, Builder<T>> owner = new HashMap<>();
    for (Iterator<T> it = waiting.iterator(); it.hasNext(); ) {
      T item = it.next();
      Set<String> channels = channelsOf.apply(item);
      int size = sizeOf.applyAsInt(item);
      Builder<T> joined = Collections.disjoint(channels, blocked) ? join(channels, owner, size, built) : null;
      if (joined == null) {
        blocked.addAll(channels);
        continue;
      }
      joined.add(item, channels, size);
      channels.forEach(c -> owner.put(c, joined));
      it.remove();
    }
    List<Group<T>> groups = new ArrayList<>(built.size());
    for (Builder<T> b : built) {
      busy.addAll(b.channels);
      inFlight++;
      groups.add(new Group<>(b.items, b.channels, b.size));
    }
    return groups;
  }

  /**
   * The group an item of these channels and size goes into: the one that already holds any of
   * them (several are merged into one), else a new one, or at the bound on groups in flight the
   * smallest one forming; null when that would pass the size bound or no group may form.
   */
  private Builder<T> join(Set<String> channels, Map<String, Builder<T>> owner, int size, List<Builder<T>> built) {
    List<Builder<T>> holders = new ArrayList<>(1);
    for (String c : channels) {
      Builder<T> b = owner.get(c);
      if (b != null && !holders.contains(b)) {
        holders.add(b);
      }
    }
    if (holders.isEmpty()) {
      if (inFlight + built.size() < maxGroupsInFlight) {
        Builder<T> fresh = new Builder<>();
        built.add(fresh);
        return fresh;
      }
      // At the bound, free channels still go now, with the smallest group forming.
      Builder<T> smallest = Collections.min(built, Comparator.comparingInt((Builder<T> b) -> b.size));
      return smallest.size + size <= maxGroupSize ? smallest : null;
    }
    int total = size;
    for (Builder<T> b : holders) {
      total += b.size;
    }
    if (total > maxGroupSize) {
      return null;
    }
    Builder<T> into = holders.get(0);
    for (Builder<T> other : holders.subList(1, holders.size())) {
      into.absorb(other);
      built.remove(other);
      other.channels.forEach(c -> owner.put(c, into));
    }
    return into;
  }

  /** The group committed or failed: its channels are free for what waits. */
  public void done(Group<T> group) {
    busy.removeAll(group.channels());
    inFlight--;
  }

  private static final class Builder<T> {
    final List<T> items = new ArrayList<>();
    final Set<String> channels = new HashSet<>();
    int size;

    void add(T item, Set<String> itemChannels, int itemSize) {
      items.add(item);
      channels.addAll(itemChannels);
      size += itemSize;
    }

    void absorb(Builder<T> other) {
      items.addAll(other.items);
      channels.addAll(other.channels);
      size += other.size;
    }
  }
}
