package tributary.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import tributary.bus.Envelope;

/**
 * The order storage work is done in (E7): the work serving the most urgent data first (priority 0
 * is the highest, {@link Envelope#LOWEST_PRIORITY} the lowest), and within one priority the work
 * that waited longest first, so a backlog of low-priority archiving never delays a copy of
 * priority-0 data, and work of one priority keeps its arrival order.
 */
public final class PriorityOrder {
  /** The priority of work that names none: the lowest. */
  public static final int UNSTATED = Envelope.LOWEST_PRIORITY;

  private PriorityOrder() {}

  /** The work most urgent first, then by {@code arrival} (smaller first); equal work keeps its order. */
  public static <T> List<T> urgentFirst(Collection<T> work, ToIntFunction<T> priority, ToLongFunction<T> arrival) {
    List<T> ordered = new ArrayList<>(work);
    ordered.sort(Comparator.comparingInt(priority).thenComparingLong(arrival));
    return ordered;
  }
}
