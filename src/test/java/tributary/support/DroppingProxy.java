package tributary.support;

import static tributary.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that can cut every connection through it at once, as a network
 * drop would, or stop listening altogether, as a stopped server would.
 */
public final class DroppingProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private final NetServer server;

  public DroppingProxy(int targetPort) {
    NetClient client = vertx.createNetClient();
    server = await(vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
        sockets.add(inbound);
        sockets.add(outbound);
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
        inbound.resume();
      }).onFailure(e -> inbound.close());
    }).listen(0, "127.0.0.1"));
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection that passes through; new ones are accepted as before. */
  public void dropAll() {
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  /** Stops listening and closes every connection: from now on connecting is refused, as to a stopped server. */
  public void cut() {
    await(server.close());
    dropAll();
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
