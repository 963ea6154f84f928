package tributary.export;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.bus.Addresses;
import tributary.store.SinkStore;

/** The current list of sinks, reloaded when one changes and every few seconds in case a notice was missed. */
public final class SinkDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(SinkDirectory.class);
  private static final long RELOAD_EVERY_MS = 5000;

  private final SinkStore store;
  private volatile List<Sink> sinks = List.of();

  public SinkDirectory(SinkStore store) {
    this.store = store;
  }

  /** Loads the sinks and keeps them fresh; call from a verticle's start so timers belong to it. */
  public Future<Void> start(Vertx vertx) {
    vertx.setPeriodic(RELOAD_EVERY_MS, t -> reload());
    return Future.join(reload(), vertx.eventBus().consumer(Addresses.SINKS_CHANGED, m -> reload()).completion())
        .mapEmpty();
  }

  public Future<Void> reload() {
    return store.all().map(list -> {
      sinks = list;
      return (Void) null;
    }).onFailure(e -> LOG.warn("sink reload failed: {}", e.getMessage()));
  }

  public List<Sink> current() {
    return sinks;
  }
}
