package tributary.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import tributary.auth.ChannelAccessStore;
import tributary.auth.ExpiringCache;
import java.util.concurrent.atomic.AtomicReference;
import tributary.config.NodeConfig;
import tributary.storage.BlobRecorder;
import tributary.storage.LiveStores;
import tributary.query.LiveChannels;

/**
 * What the HTTP face's instances on one node share (each runs on its own event loop with its own
 * connections): the connection limit, which is the node's (Q6), the live streams' counts and
 * notice frames, the channel rights looked up (X3) and the live storage nodes (S2). Made by the first instance to start and kept for the node's life, so a restart
 * (D9) of the face finds the same counts.
 */
public final class SharedFace implements Shareable {
  private static final String MAP = "tributary.http-face";

  public final ConnectionSlots<HttpConnection> connections;
  public final LiveChannels.Shared live = new LiveChannels.Shared();
  /** Channel rights looked up by any of the loops: a change made through one is seen by all at once. */
  public final ExpiringCache<String, ChannelAccessStore.Access> channelAccess = ChannelAccessStore.newCache();
  /** The live storage nodes as last looked up: every loop places copies and tasks by the same scores. */
  public final AtomicReference<LiveStores.Snapshot> liveStores = LiveStores.newSnapshot();
  /** New blobs' catalog rows: every loop's uploads go in one statement per group. */
  public final BlobRecorder.Shared blobRecords = new BlobRecorder.Shared();

  private SharedFace(NodeConfig config) {
    connections = new ConnectionSlots<>(config.maxConnections(), config.httpIdleTimeoutMs());
  }

  /** The gauges over the shared counts; again after a restart, which drops the node's meters. */
  private void register(MeterRegistry registry) {
    Gauge.builder("tributary.http.connections", connections::open).description("open HTTP connections")
        .register(registry);
    Gauge.builder("tributary.sse.streams", live.readers()::get).description("open live streams")
        .register(registry);
    Gauge.builder("tributary.sse.streams.attached", live.attached()::get)
        .description("live streams at the head of their channel, written from the node's tail").register(registry);
  }

  /** The node's shared face, made on first use; its gauges are in {@code registry}. */
  public static synchronized SharedFace of(Vertx vertx, NodeConfig config, MeterRegistry registry) {
    LocalMap<String, SharedFace> map = vertx.sharedData().getLocalMap(MAP);
    SharedFace face = map.get(MAP);
    if (face == null) {
      face = new SharedFace(config);
      map.put(MAP, face);
    }
    face.register(registry);
    return face;
  }
}
