package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContentLengthTest {
  @Test
  void aWholeNumberOfBytesIsReadAndAnythingElseIsMinusOne() {
    assertEquals(0, ContentLength.of("0"));
    assertEquals(1024, ContentLength.of("1024"));
    assertEquals(999_999_999_999_999_999L, ContentLength.of("999999999999999999"));
    for (String not : new String[] {null, "", "-1", "+1", " 1", "1.0", "0x10", "1e3", "1234567890123456789", "١٢"}) {
      assertEquals(-1, ContentLength.of(not), String.valueOf(not));
    }
  }
}
