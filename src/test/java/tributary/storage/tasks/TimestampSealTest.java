package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.storage.tasks.TimestampSeal.Manifest;
import tributary.storage.tasks.TimestampSeal.Verdict;

class TimestampSealTest {
  private static final SealKey SEAL_KEY = SealKey.create();
  private static final byte[] OLD_HMAC_SECRET = "node-shared-secret".getBytes(StandardCharsets.UTF_8);
  private static final TimestampSeal.Keys KEY = new TimestampSeal.Keys(SEAL_KEY.publicKey(), OLD_HMAC_SECRET);
  private static final long SEALED_AT = 1_700_000_000_000L;

  @TempDir Path dir;
  Path file;

  @BeforeEach
  void blob() throws IOException {
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    file = Files.write(dir.resolve("blob.bin"), content);
  }

  @Test
  void manifestRecordsTheFileAndWhoSealedItWhen() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);

    assertEquals(TimestampSeal.sha256Hex(file), m.sha256());
    assertEquals(200_000, m.size());
    assertEquals(32, m.md5().length());
    assertEquals(SEALED_AT, m.sealedAt());
    assertEquals("storage-1", m.sealedBy());
  }

  @Test
  void theOriginalFileVerifies() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    assertEquals(Verdict.VALID, TimestampSeal.verify(file, m, KEY));
  }

  @Test
  void manifestSurvivesJsonAndStillVerifies() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    Manifest read = Manifest.fromJson(m.toJson());

    assertEquals(m, read);
    assertEquals(Verdict.VALID, TimestampSeal.verify(file, read, KEY));
  }

  @Test
  void oneChangedByteIsCaughtAsChangedContent() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    byte[] bytes = Files.readAllBytes(file);
    bytes[123_456] ^= 1;
    Path copy = Files.write(dir.resolve("copy.bin"), bytes);

    assertEquals(Verdict.CONTENT_CHANGED, TimestampSeal.verify(copy, m, KEY));
  }

  @Test
  void aBackdatedManifestIsCaughtAsForged() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    Manifest backdated =
        Manifest.fromJson(
            m.toJson().replace(Long.toString(SEALED_AT), Long.toString(SEALED_AT - 86_400_000)));

    assertEquals(SEALED_AT - 86_400_000, backdated.sealedAt());
    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, backdated, KEY));
  }

  @Test
  void aManifestSignedWithAnotherKeyIsCaughtAsForged() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SealKey.create());

    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, m, KEY));
  }

  @Test
  void aSealVerifiesWithThePublicKeyAloneOverTheDocumentedBytes() throws Exception {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    String signed = "[\"tributary-seal-v2\",\"" + SEAL_KEY.keyId() + "\",\"" + m.sha256() + "\",\"" + m.md5()
        + "\",200000," + SEALED_AT + ",\"storage-1\"]";
    java.security.PublicKey published = SealKey.publicKey(SEAL_KEY.publicKey().getEncoded());
    Signature check = Signature.getInstance("Ed25519");
    check.initVerify(published);
    check.update(signed.getBytes(StandardCharsets.UTF_8));

    assertTrue(check.verify(Base64.getDecoder().decode(m.signature())));
    assertEquals("Ed25519", m.alg());
    assertEquals(Verdict.VALID,
        TimestampSeal.verify(file, Manifest.fromJson(m.toJson()), new TimestampSeal.Keys(published, null)));
  }

  @Test
  void aTamperedSignatureOrSizeIsCaughtAsForged() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", SEAL_KEY);
    byte[] sig = Base64.getDecoder().decode(m.signature());
    sig[5] ^= 1;
    Manifest badSignature = new Manifest(m.alg(), m.keyId(), m.sha256(), m.md5(), m.size(), m.sealedAt(),
        m.sealedBy(), Base64.getEncoder().encodeToString(sig));
    Manifest otherSize = new Manifest(m.alg(), m.keyId(), m.sha256(), m.md5(), m.size() + 1, m.sealedAt(),
        m.sealedBy(), m.signature());
    Manifest garbage = new Manifest(m.alg(), m.keyId(), m.sha256(), m.md5(), m.size(), m.sealedAt(),
        m.sealedBy(), "not base64!");

    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, badSignature, KEY));
    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, otherSize, KEY));
    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, garbage, KEY));
  }

  /** A seal as the cluster made them before Ed25519: HMAC-SHA256 in hex, no alg field. */
  private String oldHmacSeal(byte[] secret, long sealedAt) throws Exception {
    FileDigest d = FileDigest.of(file);
    String canonical = "[\"tributary-seal-v1\",\"" + d.sha256() + "\",\"" + d.md5() + "\"," + d.size() + ","
        + sealedAt + ",\"storage-1\"]";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    String signature = HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    return "{\"sha256\":\"" + d.sha256() + "\",\"md5\":\"" + d.md5() + "\",\"size\":" + d.size()
        + ",\"sealedAt\":" + sealedAt + ",\"sealedBy\":\"storage-1\",\"signature\":\"" + signature + "\"}";
  }

  @Test
  void anOldHmacSealStillVerifiesWithTheClusterSecret() throws Exception {
    Manifest old = Manifest.fromJson(oldHmacSeal(OLD_HMAC_SECRET, SEALED_AT));

    assertEquals("HmacSHA256", old.alg());
    assertEquals(Verdict.VALID, TimestampSeal.verify(file, old, KEY));
    assertEquals(Manifest.fromJson(old.toJson()), old);
    assertEquals(Verdict.SIGNATURE_FORGED,
        TimestampSeal.verify(file, Manifest.fromJson(oldHmacSeal("other".getBytes(StandardCharsets.UTF_8),
            SEALED_AT)), KEY));
    assertEquals(Verdict.SIGNATURE_FORGED,
        TimestampSeal.verify(file, old, new TimestampSeal.Keys(SEAL_KEY.publicKey(), null)),
        "without the cluster's secret an old seal cannot be checked");
  }
}
