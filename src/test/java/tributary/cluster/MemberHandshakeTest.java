package tributary.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemberHandshakeTest {
  private static final byte[] SECRET = "the cluster's secret, 32 bytes!!".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER = "another cluster's secret, 32 by.".getBytes(StandardCharsets.UTF_8);

  /** Runs one exchange over loopback: the accepting side in a thread, the connecting side here. */
  private static void exchange(MemberHandshake acceptor, MemberHandshake connector) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          acceptor.onAccept(s);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        connector.onConnect(s);
      } finally {
        try {
          accepted.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw (Exception) e.getCause().getCause();
        }
      }
    }
  }

  @Test
  void membersHoldingTheSecretPassBothWays() throws Exception {
    exchange(new MemberHandshake(SECRET, Set.of()), new MemberHandshake(SECRET, Set.of()));
  }

  @Test
  void aPeerWithAnotherSecretIsRefusedOnEitherSide() {
    assertThrows(IOException.class,
        () -> exchange(new MemberHandshake(SECRET, Set.of()), new MemberHandshake(OTHER, Set.of())));
    assertThrows(IOException.class,
        () -> exchange(new MemberHandshake(OTHER, Set.of()), new MemberHandshake(SECRET, Set.of())));
  }

  @Test
  void aHostOffTheMemberListIsRefusedBeforeTheExchange() throws Exception {
    MemberHandshake elsewhere = new MemberHandshake(SECRET, Set.of(InetAddress.getByName("192.0.2.77")));
    assertThrows(IOException.class, () -> exchange(elsewhere, new MemberHandshake(SECRET, Set.of())));
  }
}
