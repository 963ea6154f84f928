package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CopyVerdictTest {
  private static final String SHA = "a9269a6c30647bacfeaea1902eb79864a44b6777575a1fb1d455b51ada0f6223";
  private static final String MD5 = "407e4c59d8856c7df973886884253273";
  private static final String OTHER_SHA = "b" + SHA.substring(1);
  private static final String OTHER_MD5 = "5" + MD5.substring(1);

  @Test
  void aCopyWhoseDigestsAllMatchStaysHealthy() {
    CopyVerdict v = CopyVerdict.of(SHA, MD5, new CopyVerdict.Scan(SHA, MD5, true));
    assertEquals("healthy", v.state());
    assertNull(v.reason());
    assertTrue(v.healthy());
  }

  @Test
  void anMd5MismatchAloneDeletesTheCopy() {
    CopyVerdict v = CopyVerdict.of(SHA, MD5, new CopyVerdict.Scan(SHA, OTHER_MD5, true));
    assertEquals("deleted", v.state());
    assertEquals("corrupt: md5 mismatch", v.reason());
  }

  @Test
  void aSha256MismatchAloneDeletesTheCopy() {
    CopyVerdict v = CopyVerdict.of(SHA, MD5, new CopyVerdict.Scan(OTHER_SHA, MD5, true));
    assertEquals("deleted", v.state());
    assertEquals("corrupt: sha256 mismatch", v.reason());
  }

  @Test
  void bothMismatchingNameMd5FirstAsTheSeedChecksIt() {
    assertEquals("corrupt: md5 mismatch",
        CopyVerdict.of(SHA, MD5, new CopyVerdict.Scan(OTHER_SHA, OTHER_MD5, false)).reason());
  }

  @Test
  void aBadChunkManifestOverGoodBytesDeletesTheCopy() {
    CopyVerdict v = CopyVerdict.of(SHA, MD5, new CopyVerdict.Scan(SHA, MD5, false));
    assertEquals("deleted", v.state());
    assertEquals("corrupt: chunk manifest mismatch", v.reason());
  }

  @Test
  void digestsCompareWhateverTheirHexCase() {
    assertTrue(CopyVerdict.of(SHA.toUpperCase(), MD5.toUpperCase(), new CopyVerdict.Scan(SHA, MD5, true)).healthy());
  }
}
