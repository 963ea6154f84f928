package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.support.Http;
import tributary.support.TestNode;

/**
 * Q6, X3: connections count toward the limit from accept; idle ones (no request in progress) may
 * hold only a share of it, so idle sockets cannot keep clients that make requests out; and a
 * connection idle for http-idle-timeout-ms is closed.
 */
class ConnectionLimitTest {

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    return socket;
  }

  /** Sends one keep-alive GET /health and reads its whole answer, leaving the connection open. */
  private static void health(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before an answer: " + head);
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
    String length = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst()
        .orElseThrow(() -> new AssertionError("no content-length: " + head));
    in.readNBytes(Integer.parseInt(length.substring(length.indexOf(':') + 1).trim()));
  }

  /** True when the server closed the connection within the socket's read timeout; false if it stayed open. */
  /** True once the server closes one of {@code sockets} within 5 s. */
  private static boolean anyClosedByServer(List<Socket> sockets) throws IOException {
    long deadline = System.currentTimeMillis() + 5_000;
    for (Socket socket : sockets) {
      socket.setSoTimeout(50);
    }
    while (System.currentTimeMillis() < deadline) {
      for (Socket socket : sockets) {
        if (closedByServer(socket)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean closedByServer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  /**
   * A new client's GET /health. Not the node's test client: its pooled connection, idle since the
   * node came up, is the oldest idle one and may be closed just as it is reused.
   */
  private static int freshClientHealth(TestNode node) {
    try (Http fresh = new Http(node.port())) {
      return fresh.get("/health", null).statusCode();
    }
  }

  @Test
  void idleKeepAliveConnectionsBeyondTheLimitCannotKeepANewClientOut() throws IOException {
    List<Socket> idle = new ArrayList<>();
    try (TestNode node = TestNode.start("limit-idle", Map.of("max-connections", "10"))) {
      for (int i = 0; i < 15; i++) {
        Socket socket = connect(node.port());
        idle.add(socket);
        health(socket);
      }
      // Old behaviour: 15 idle sockets held the count above 10 and every other client got 503.
      assertEquals(200, freshClientHealth(node), "a client making a request is answered");
      assertTrue(closedByServer(idle.get(0)), "the oldest idle connection made room");
    } finally {
      closeAll(idle);
    }
  }

  @Test
  void aConnectionCountsFromAcceptBeforeItsFirstRequest() throws IOException {
    List<Socket> silent = new ArrayList<>();
    try (TestNode node = TestNode.start("limit-accept", Map.of("max-connections", "10"))) {
      // Twelve silent sockets, with the test client's idle connection, pass the idle share of nine.
      for (int i = 0; i < 12; i++) {
        silent.add(connect(node.port()));
      }
      // The oldest idle one by the node's clock: the sockets are taken on two event loops, so the
      // node may register them in another order than the test opened them.
      assertTrue(anyClosedByServer(silent), "silent sockets count, and the oldest idle ones are closed at once");
      assertEquals(200, freshClientHealth(node));
    } finally {
      closeAll(silent);
    }
  }

  @Test
  void aConnectionIdleForTheIdleTimeoutIsClosed() throws IOException {
    try (TestNode node = TestNode.start("limit-timeout", Map.of("http-idle-timeout-ms", "500"));
        Socket socket = connect(node.port())) {
      health(socket);
      long idleSince = System.currentTimeMillis();
      assertTrue(closedByServer(socket), "closed after the idle timeout");
      long idleFor = System.currentTimeMillis() - idleSince;
      assertTrue(idleFor >= 400 && idleFor < 3_000, "closed after " + idleFor + " ms idle");
    }
  }
}
