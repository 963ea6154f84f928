package tributary.storage.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tributary.digest.Digests;

/**
 * Timestamp protection for any file: a manifest of its digests, its size, when and by which node
 * it was sealed, signed with the cluster's Ed25519 key ({@link SealKey}), whose public half is
 * published. Anyone with the file, the manifest and that public key can then show the file is
 * unchanged since {@code sealedAt}, and nobody without the private key can move that date.
 *
 * <p>The signed bytes are the UTF-8 of the compact JSON array {@code ["tributary-seal-v2", keyId,
 * sha256, md5, size, sealedAt, sealedBy]} (what {@code jq -cj} prints for those fields). Seals
 * made before, signed with HMAC-SHA256 under a secret only the nodes hold ({@code
 * ["tributary-seal-v1", sha256, md5, size, sealedAt, sealedBy]}, hex), carry no {@code alg}
 * field and still verify inside the cluster.
 */
public final class TimestampSeal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HMAC = "HmacSHA256";
  /** Version the signed text, so one layout can never verify as another. */
  private static final String HMAC_VERSION = "tributary-seal-v1";
  private static final String ED25519_VERSION = "tributary-seal-v2";

  private TimestampSeal() {}

  /** {@code alg} is {@link SealKey#ALGORITHM} or, for old seals, {@code HmacSHA256} (and no key id). */
  public record Manifest(String alg, String keyId, String sha256, String md5, long size, long sealedAt,
                         String sealedBy, String signature) {

    public boolean legacyHmac() {
      return HMAC.equals(alg);
    }

    public String toJson() {
      ObjectNode o = JSON.createObjectNode();
      if (!legacyHmac()) {
        o.put("alg", alg).put("keyId", keyId);
      }
      return o.put("sha256", sha256)
          .put("md5", md5)
          .put("size", size)
          .put("sealedAt", sealedAt)
          .put("sealedBy", sealedBy)
          .put("signature", signature)
          .toString();
    }

    public static Manifest fromJson(String json) {
      JsonNode o;
      try {
        o = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("manifest is not JSON", e);
      }
      if (o == null || !o.isObject()) {
        throw new IllegalArgumentException("manifest is not a JSON object");
      }
      boolean legacy = o.get("alg") == null;
      return new Manifest(
          legacy ? HMAC : text(o, "alg"),
          legacy ? null : text(o, "keyId"),
          text(o, "sha256"),
          text(o, "md5"),
          number(o, "size"),
          number(o, "sealedAt"),
          text(o, "sealedBy"),
          text(o, "signature"));
    }

    /** The signed bytes: a JSON array, so no field value can be shifted into its neighbour. */
    public byte[] signedBytes() {
      ArrayNode a = JSON.createArrayNode();
      if (legacyHmac()) {
        a.add(HMAC_VERSION);
      } else {
        a.add(ED25519_VERSION).add(keyId);
      }
      return a.add(sha256).add(md5).add(size).add(sealedAt).add(sealedBy).toString()
          .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode o, String field) {
      JsonNode value = o.get(field);
      if (value == null || !value.isTextual()) {
        throw new IllegalArgumentException("manifest field " + field + " is missing or not text");
      }
      return value.textValue();
    }

    private static long number(JsonNode o, String field) {
      JsonNode value = o.get(field);
      if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
        throw new IllegalArgumentException(
            "manifest field " + field + " is missing or not a whole number");
      }
      return value.longValue();
    }
  }

  public enum Verdict {
    VALID,
    /** The manifest was not signed with this key: it was altered, or made by someone else. */
    SIGNATURE_FORGED,
    /** The manifest is genuine but the file no longer matches it. */
    CONTENT_CHANGED
  }

  /** The keys a seal may be checked with: the published Ed25519 key, and the old HMAC secret (null: none). */
  public record Keys(PublicKey ed25519, byte[] legacyHmac) {}

  public static String sha256Hex(Path file) throws IOException {
    return FileDigest.of(file).sha256();
  }

  public static Manifest seal(Path file, long now, String node, SealKey key) throws IOException {
    FileDigest digest = FileDigest.of(file);
    Manifest unsigned = new Manifest(SealKey.ALGORITHM, key.keyId(), digest.sha256(), digest.md5(), digest.size(),
        now, node, "");
    return new Manifest(unsigned.alg(), unsigned.keyId(), digest.sha256(), digest.md5(), digest.size(), now, node,
        key.sign(unsigned.signedBytes()));
  }

  /** Checks the signature first: until it holds, nothing the manifest says can be trusted. */
  public static Verdict verify(Path file, Manifest m, Keys keys) throws IOException {
    return verify(() -> FileDigest.of(file), m, keys);
  }

  /** Where the bytes are not a local file: {@code actual} digests them only if the signature holds. */
  public static Verdict verify(DigestSource actual, Manifest m, Keys keys) throws IOException {
    if (!signatureHolds(m, keys)) {
      return Verdict.SIGNATURE_FORGED;
    }
    FileDigest digest = actual.digest();
    boolean same =
        digest.size() == m.size()
            && digest.sha256().equals(m.sha256())
            && digest.md5().equals(m.md5());
    return same ? Verdict.VALID : Verdict.CONTENT_CHANGED;
  }

  private static boolean signatureHolds(Manifest m, Keys keys) {
    if (m.legacyHmac()) {
      if (keys.legacyHmac() == null) {
        return false;
      }
      byte[] expected = hmac(m.signedBytes(), keys.legacyHmac()).getBytes(StandardCharsets.US_ASCII);
      byte[] given = m.signature().getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, given); // constant time: no timing hints for forgers
    }
    return SealKey.ALGORITHM.equals(m.alg()) && keys.ed25519() != null
        && SealKey.keyId(keys.ed25519()).equals(m.keyId())
        && SealKey.verify(keys.ed25519(), m.signedBytes(), m.signature());
  }

  /** The digests of the sealed bytes, computed on demand. */
  @FunctionalInterface
  public interface DigestSource {
    FileDigest digest() throws IOException;
  }

  private static String hmac(byte[] signed, byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return Digests.hex(mac.doFinal(signed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
