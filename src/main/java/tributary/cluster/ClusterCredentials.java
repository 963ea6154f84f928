package tributary.cluster;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What a node must hold to be a member of its cluster (X3): the secret every Hazelcast connection
 * proves (see {@link MemberHandshake}), and the key and certificate of the event bus's mutual TLS
 * (every node presents the cluster's certificate and trusts only it). Made once per cluster, at
 * the first start, and kept in PostgreSQL: whoever may read the database may already do anything.
 */
public record ClusterCredentials(byte[] secret, String keyPem, String certPem) {
  private static final int YEARS_VALID = 100;

  /** New credentials: a random secret and a self-signed EC P-256 certificate. */
  public static ClusterCredentials create() {
    try {
      SecureRandom random = new SecureRandom();
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=tributary-cluster");
      Instant now = Instant.now();
      X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, new BigInteger(64, random),
          Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(YEARS_VALID * 365L, ChronoUnit.DAYS)), name,
          pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return new ClusterCredentials(secret, pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("CERTIFICATE", cert.getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot make the cluster's credentials", e);
    }
  }

  /** The stored form. */
  public byte[] toBytes() {
    return new JsonObject().put("secret", secret).put("key", keyPem).put("cert", certPem).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  public static ClusterCredentials fromBytes(byte[] stored) {
    JsonObject json = new JsonObject(new String(stored, StandardCharsets.UTF_8));
    return new ClusterCredentials(json.getBinary("secret"), json.getString("key"), json.getString("cert"));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
