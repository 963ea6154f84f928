package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  @Test
  void aClosedRangeIncludesBothEnds() throws ByteRange.Unsatisfiable {
    ByteRange r = ByteRange.parse("bytes=10-19", 100);
    assertEquals(new ByteRange(10, 20), r);
    assertEquals(10, r.length());
    assertEquals("bytes 10-19/100", r.contentRange(100));
  }

  @Test
  void anOpenRangeRunsToTheEnd() throws ByteRange.Unsatisfiable {
    ByteRange r = ByteRange.parse("bytes=90-", 100);
    assertEquals(new ByteRange(90, 100), r);
    assertEquals("bytes 90-99/100", r.contentRange(100));
  }

  @Test
  void aSuffixRangeIsTheLastBytes() throws ByteRange.Unsatisfiable {
    ByteRange r = ByteRange.parse("bytes=-5", 100);
    assertEquals(new ByteRange(95, 100), r);
    assertEquals(5, r.length());
    assertEquals("bytes 95-99/100", r.contentRange(100));
  }

  @Test
  void aSuffixLongerThanTheBlobIsTheWholeBlob() throws ByteRange.Unsatisfiable {
    assertEquals(new ByteRange(0, 100), ByteRange.parse("bytes=-500", 100));
  }

  @Test
  void anEndPastTheSizeIsClamped() throws ByteRange.Unsatisfiable {
    ByteRange r = ByteRange.parse("bytes=50-1000", 100);
    assertEquals(new ByteRange(50, 100), r);
    assertEquals(50, r.length());
    assertEquals("bytes 50-99/100", r.contentRange(100));
  }

  @Test
  void aSingleByteRange() throws ByteRange.Unsatisfiable {
    ByteRange r = ByteRange.parse("bytes=0-0", 100);
    assertEquals(1, r.length());
    assertEquals("bytes 0-0/100", r.contentRange(100));
  }

  @Test
  void aStartAtOrAfterTheSizeIsUnsatisfiable() {
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=100-", 100));
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=100-200", 100));
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=500-600", 100));
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=0-", 0));
  }

  @Test
  void anEmptySuffixIsUnsatisfiable() {
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-0", 100));
    assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-5", 0));
  }

  @Test
  void noHeaderServesTheWholeBlob() throws ByteRange.Unsatisfiable {
    assertNull(ByteRange.parse(null, 100));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=5", "bytes=a-b", "bytes=5-x", "bytes=-x", "bytes=20-10",
      "items=0-5", "0-5", "bytes=--5", "bytes=-+5", "bytes=+1-5", "bytes=1--5", "bytes=1-2-3"})
  void aMalformedHeaderServesTheWholeBlob(String header) throws ByteRange.Unsatisfiable {
    assertNull(ByteRange.parse(header, 100), header);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-5,10-15", "bytes=0-5, -3", "bytes=500-600,0-1"})
  void severalRangesServeTheWholeBlob(String header) throws ByteRange.Unsatisfiable {
    assertNull(ByteRange.parse(header, 100), header);
  }
}
