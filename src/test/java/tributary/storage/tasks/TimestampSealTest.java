package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.storage.tasks.TimestampSeal.Manifest;
import tributary.storage.tasks.TimestampSeal.Verdict;

class TimestampSealTest {
  private static final byte[] KEY = "node-shared-secret".getBytes(StandardCharsets.UTF_8);
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
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", KEY);

    assertEquals(TimestampSeal.sha256Hex(file), m.sha256());
    assertEquals(200_000, m.size());
    assertEquals(32, m.md5().length());
    assertEquals(SEALED_AT, m.sealedAt());
    assertEquals("storage-1", m.sealedBy());
  }

  @Test
  void theOriginalFileVerifies() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", KEY);
    assertEquals(Verdict.VALID, TimestampSeal.verify(file, m, KEY));
  }

  @Test
  void manifestSurvivesJsonAndStillVerifies() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", KEY);
    Manifest read = Manifest.fromJson(m.toJson());

    assertEquals(m, read);
    assertEquals(Verdict.VALID, TimestampSeal.verify(file, read, KEY));
  }

  @Test
  void oneChangedByteIsCaughtAsChangedContent() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", KEY);
    byte[] bytes = Files.readAllBytes(file);
    bytes[123_456] ^= 1;
    Path copy = Files.write(dir.resolve("copy.bin"), bytes);

    assertEquals(Verdict.CONTENT_CHANGED, TimestampSeal.verify(copy, m, KEY));
  }

  @Test
  void aBackdatedManifestIsCaughtAsForged() throws IOException {
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", KEY);
    Manifest backdated =
        Manifest.fromJson(
            m.toJson().replace(Long.toString(SEALED_AT), Long.toString(SEALED_AT - 86_400_000)));

    assertEquals(SEALED_AT - 86_400_000, backdated.sealedAt());
    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, backdated, KEY));
  }

  @Test
  void aManifestSignedWithAnotherKeyIsCaughtAsForged() throws IOException {
    byte[] otherKey = "someone-else".getBytes(StandardCharsets.UTF_8);
    Manifest m = TimestampSeal.seal(file, SEALED_AT, "storage-1", otherKey);

    assertEquals(Verdict.SIGNATURE_FORGED, TimestampSeal.verify(file, m, KEY));
  }
}
