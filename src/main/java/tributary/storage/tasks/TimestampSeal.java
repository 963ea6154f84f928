package tributary.storage.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tributary.digest.Digests;

/**
 * Timestamp protection for any file: a manifest of its digests, its size, when and by which node
 * it was sealed, signed with HMAC-SHA256 under a key only the nodes hold. Anyone with the file and
 * the manifest can then show it is unchanged since {@code sealedAt}, and nobody without the key
 * can move that date.
 */
public final class TimestampSeal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HMAC = "HmacSHA256";
  /** Versions the signed text, so a later layout can never verify as this one. */
  private static final String CANONICAL_VERSION = "tributary-seal-v1";

  private TimestampSeal() {}

  public record Manifest(
      String sha256, String md5, long size, long sealedAt, String sealedBy, String signature) {

    public String toJson() {
      return JSON.createObjectNode()
          .put("sha256", sha256)
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
      return new Manifest(
          text(o, "sha256"),
          text(o, "md5"),
          number(o, "size"),
          number(o, "sealedAt"),
          text(o, "sealedBy"),
          text(o, "signature"));
    }

    /** The signed text: a JSON array, so no field value can be shifted into its neighbour. */
    String canonical() {
      return JSON.createArrayNode()
          .add(CANONICAL_VERSION)
          .add(sha256)
          .add(md5)
          .add(size)
          .add(sealedAt)
          .add(sealedBy)
          .toString();
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

  public static String sha256Hex(Path file) throws IOException {
    return FileDigest.of(file).sha256();
  }

  public static Manifest seal(Path file, long now, String node, byte[] key) throws IOException {
    FileDigest digest = FileDigest.of(file);
    Manifest unsigned = new Manifest(digest.sha256(), digest.md5(), digest.size(), now, node, "");
    return new Manifest(
        digest.sha256(), digest.md5(), digest.size(), now, node, sign(unsigned.canonical(), key));
  }

  /** Checks the signature first: until it holds, nothing the manifest says can be trusted. */
  public static Verdict verify(Path file, Manifest m, byte[] key) throws IOException {
    return verify(() -> FileDigest.of(file), m, key);
  }

  /** Where the bytes are not a local file: {@code actual} digests them only if the signature holds. */
  public static Verdict verify(DigestSource actual, Manifest m, byte[] key) throws IOException {
    byte[] expected = sign(m.canonical(), key).getBytes(StandardCharsets.US_ASCII);
    byte[] given = m.signature().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) { // constant time: no timing hints for forgers
      return Verdict.SIGNATURE_FORGED;
    }
    FileDigest digest = actual.digest();
    boolean same =
        digest.size() == m.size()
            && digest.sha256().equals(m.sha256())
            && digest.md5().equals(m.md5());
    return same ? Verdict.VALID : Verdict.CONTENT_CHANGED;
  }

  /** The digests of the sealed bytes, computed on demand. */
  @FunctionalInterface
  public interface DigestSource {
    FileDigest digest() throws IOException;
  }

  private static String sign(String canonical, byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return Digests.hex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
