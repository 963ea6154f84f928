package tributary.support;

import java.io.IOException;
import redis.embedded.RedisServer;

/** A Redis server of the test's own on a free port, for tests that flush, stop or restart it. */
public final class OwnRedis implements AutoCloseable {
  public final int port = TestEnv.freePort();
  private RedisServer server;

  public OwnRedis() throws IOException {
    start();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() throws IOException {
    server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
        .setting("appendonly no").build();
    server.start();
  }

  public void stop() throws IOException {
    server.stop();
  }

  @Override
  public void close() throws IOException {
    if (server.isActive()) {
      server.stop();
    }
  }
}
