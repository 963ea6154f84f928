package tributary.cache;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One node's view of which channels are cached (issue 15, "cache or not, per channel"), in front
 * of every Redis append. A channel's switch is looked up at most once per {@code keepMs} and
 * replaced at once by a switch announced on the bus; a look-up that was under way when a switch
 * arrived never overrides it. Switching a channel off drops its stream only after the appends this
 * node had already sent for it have finished, so none of them recreates the key. Used on one
 * event loop only (the channel cache verticle's).
 */
public final class CacheGate {
  /** How long a node trusts a switch it looked up: a missed announcement still applies within it. */
  public static final long KEEP_MS = 1000;
  private static final int MAX_CHANNELS = 100_000;

  private record Known(boolean cached, long until, long seq) {}

  private final Function<String, Future<Boolean>> lookup;
  private final long keepMs;
  private final Map<String, Known> known = new HashMap<>();
  private final Map<String, Future<Boolean>> lookups = new HashMap<>();
  private final Map<String, List<Future<Void>>> inFlight = new HashMap<>();
  private long seq;

  /** @param lookup the stored switch of a channel (true when it has none) */
  public CacheGate(Function<String, Future<Boolean>> lookup, long keepMs) {
    this.lookup = lookup;
    this.keepMs = keepMs;
  }

  /**
   * Runs {@code write} if the channel is cached now, else succeeds doing nothing. A look-up that
   * fails keeps the channel out of Redis this time: readers take from PostgreSQL what Redis lacks.
   */
  public Future<Void> append(String channel, long now, Supplier<Future<Void>> write) {
    return cached(channel, now).otherwise(false).compose(on -> {
      if (!on || !current(channel, on)) {
        return Future.succeededFuture();
      }
      Future<Void> w = write.get();
      List<Future<Void>> mine = inFlight.computeIfAbsent(channel, c -> new ArrayList<>());
      mine.add(w);
      return w.onComplete(ar -> {
        mine.remove(w);
        if (mine.isEmpty() && inFlight.get(channel) == mine) {
          inFlight.remove(channel);
        }
      });
    });
  }

  /**
   * A switch announced on the bus. Turned off, {@code drop} runs once the appends already sent
   * for the channel are done (whether they succeeded or not).
   */
  public Future<Void> switched(String channel, boolean cached, long now, Supplier<Future<Void>> drop) {
    remember(channel, new Known(cached, now + keepMs, ++seq));
    if (cached) {
      return Future.succeededFuture();
    }
    List<Future<Void>> pending = new ArrayList<>(inFlight.getOrDefault(channel, List.of()));
    return Future.join(pending).otherwiseEmpty().compose(v -> drop.get());
  }

  /** Whether the channel is cached, as last known here or looked up. */
  Future<Boolean> cached(String channel, long now) {
    Known k = known.get(channel);
    if (k != null && k.until() > now) {
      return Future.succeededFuture(k.cached());
    }
    Future<Boolean> running = lookups.get(channel);
    if (running != null) {
      return running;
    }
    long started = ++seq;
    Future<Boolean> f = lookup.apply(channel).map(found -> {
      Known latest = known.get(channel);
      if (latest != null && latest.seq() > started) {
        return latest.cached();
      }
      remember(channel, new Known(found, now + keepMs, started));
      return found;
    });
    if (!f.isComplete()) {
      lookups.put(channel, f);
      f.onComplete(ar -> lookups.remove(channel));
    }
    return f;
  }

  /** A switch that arrived after the answer was looked up wins over it. */
  private boolean current(String channel, boolean answer) {
    Known k = known.get(channel);
    return k == null ? answer : k.cached();
  }

  private void remember(String channel, Known k) {
    if (known.size() >= MAX_CHANNELS) {
      known.clear();
    }
    known.put(channel, k);
  }
}
