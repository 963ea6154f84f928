package tributary.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestsTest {
  @Test
  void sha256OfTextIsTheStandardLowerCaseHex() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.sha256Hex("abc"));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digests.sha256Hex(""));
    assertEquals(Digests.sha256Hex("é"), Digests.hex(Digests.of("SHA-256").digest("é".getBytes(StandardCharsets.UTF_8))),
        "text is hashed as UTF-8");
  }

  @Test
  void md5AndHexAreStandardAndAnUnknownAlgorithmIsABug() {
    assertEquals("900150983cd24fb0d6963f7d28e17f72", Digests.hex(Digests.of("MD5").digest("abc".getBytes())));
    assertEquals("00ff10", Digests.hex(new byte[] {0, (byte) 0xff, 0x10}));
    assertThrows(IllegalStateException.class, () -> Digests.of("SHA-0"));
  }

  @Test
  void aSha256InHexIsExactlyWhatSha256HexWrites() {
    String sha = Digests.sha256Hex("abc");
    assertTrue(Digests.isSha256Hex(sha));
    for (String not : new String[] {null, "", sha.substring(1), sha + "0", sha.toUpperCase(), "g" + sha.substring(1),
        " " + sha.substring(1)}) {
      assertFalse(Digests.isSha256Hex(not), String.valueOf(not));
    }
  }
}
