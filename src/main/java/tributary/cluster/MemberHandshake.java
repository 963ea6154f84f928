package tributary.cluster;

import com.hazelcast.nio.MemberSocketInterceptor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates every Hazelcast connection before Hazelcast speaks on it (X3): the accepting side
 * sends a fresh challenge, the connecting side answers with an HMAC of it under the cluster secret
 * and a challenge of its own, which the accepting side answers in turn. A process without the
 * secret (a member, or a Hazelcast client) is closed before it can join or read anything; a
 * recorded exchange is worth nothing later, since both challenges are fresh. Connections from
 * hosts outside the member list are refused before the exchange.
 */
public final class MemberHandshake implements MemberSocketInterceptor {
  static final int CHALLENGE_BYTES = 32;
  static final int MAC_BYTES = 32;
  /** A peer that stalls the exchange is dropped after this long; it holds Hazelcast's acceptor meanwhile. */
  static final int TIMEOUT_MS = 5_000;

  private final byte[] secret;
  private final Set<InetAddress> allowedPeers;
  private final SecureRandom random = new SecureRandom();

  /** @param allowedPeers addresses that may connect; empty = any (multicast discovery) */
  public MemberHandshake(byte[] secret, Set<InetAddress> allowedPeers) {
    this.secret = secret.clone();
    this.allowedPeers = Set.copyOf(allowedPeers);
  }

  @Override
  public void init(Properties properties) {
    // configured in the constructor
  }

  @Override
  public void onAccept(Socket socket) throws IOException {
    if (!allowedPeers.isEmpty() && !allowedPeers.contains(socket.getInetAddress())) {
      throw new IOException("cluster connection from " + socket.getInetAddress() + ", which is not on the member list");
    }
    withTimeout(socket, () -> accept(socket.getInputStream(), socket.getOutputStream()));
  }

  @Override
  public void onConnect(Socket socket) throws IOException {
    withTimeout(socket, () -> connect(socket.getInputStream(), socket.getOutputStream()));
  }

  /** The accepting side: challenge, check the answer, answer the peer's challenge. */
  void accept(InputStream in, OutputStream out) throws IOException {
    byte[] mine = challenge();
    out.write(mine);
    out.flush();
    DataInputStream data = new DataInputStream(in);
    byte[] theirs = new byte[CHALLENGE_BYTES];
    byte[] answer = new byte[MAC_BYTES];
    data.readFully(theirs);
    data.readFully(answer);
    if (!MessageDigest.isEqual(answer, mac('c', mine, theirs))) {
      throw new IOException("a cluster peer failed the handshake: it does not hold the cluster secret");
    }
    out.write(mac('a', theirs, mine));
    out.flush();
  }

  /** The connecting side: answer the challenge with one of ours, check the peer's answer. */
  void connect(InputStream in, OutputStream out) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] theirs = new byte[CHALLENGE_BYTES];
    data.readFully(theirs);
    byte[] mine = challenge();
    out.write(mine);
    out.write(mac('c', theirs, mine));
    out.flush();
    byte[] answer = new byte[MAC_BYTES];
    data.readFully(answer);
    if (!MessageDigest.isEqual(answer, mac('a', mine, theirs))) {
      throw new IOException("a cluster member failed the handshake: it does not hold the cluster secret");
    }
  }

  private byte[] challenge() {
    byte[] c = new byte[CHALLENGE_BYTES];
    random.nextBytes(c);
    return c;
  }

  /** HMAC-SHA256 of the role and both challenges, the verifier's first, so no answer serves another exchange. */
  private byte[] mac(char role, byte[] verifierChallenge, byte[] proverChallenge) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((byte) role);
      mac.update(verifierChallenge);
      mac.update(proverChallenge);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private interface Exchange {
    void run() throws IOException;
  }

  private static void withTimeout(Socket socket, Exchange exchange) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout(TIMEOUT_MS);
    try {
      exchange.run();
    } finally {
      socket.setSoTimeout(before);
    }
  }
}
