package tributary;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.config.ConfigLoader;

/**
 * Issue 17: on Linux x86-64 the node's Vert.x runs on Netty's epoll transport, which the jar
 * carries; each SSE write costs an event loop less than through NIO.
 */
class NodeTransportTest {
  @Test
  void aNodeOnLinuxRunsOnEpoll() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64"), "the jar carries epoll for Linux x86-64 only");
    Vertx vertx = Vertx.builder().with(Node.vertxOptions(ConfigLoader.load(new String[0], Map.of()))).build();
    try {
      assertTrue(vertx.isNativeTransportEnabled(), () -> "epoll did not load: " + vertx.unavailableNativeTransportCause());
    } finally {
      vertx.close().await();
    }
  }
}
