package tributary.storage.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeedleTest {
  private static final String SHA = "ab".repeat(32);

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void aNeedleDecodesToWhatWasEncoded() {
    byte[] data = new byte[1000];
    new Random(1).nextBytes(data);
    Needle needle = Needle.live(SHA, 1234L, data);
    byte[] encoded = bytes(needle.encode());
    assertEquals(Needle.HEADER_BYTES + 1000, encoded.length);
    assertEquals(needle.length(), encoded.length);
    Needle back = Needle.decode(encoded);
    assertEquals(needle, back);
    assertArrayEquals(data, back.data());
    assertEquals(1234L, back.landedAt());
  }

  @Test
  void aTombstoneHasNoBytes() {
    Needle back = Needle.decode(bytes(Needle.tombstone(SHA, 5L).encode()));
    assertEquals(Needle.TOMBSTONE, back.flags());
    assertEquals(0, back.data().length);
    assertEquals(SHA, back.sha256());
  }

  @Test
  void aFlippedByteAnywhereFailsTheCrc() {
    byte[] data = new byte[300];
    new Random(2).nextBytes(data);
    byte[] encoded = bytes(Needle.live(SHA, 1L, data).encode());
    for (int at : new int[] {5, 10, 20, 40, Needle.HEADER_BYTES - 1, Needle.HEADER_BYTES, encoded.length - 1}) {
      byte[] bad = encoded.clone();
      bad[at] ^= 0x10;
      assertNull(Needle.decode(bad), "flipped byte " + at);
    }
  }

  @Test
  void aShortOrForeignBufferIsNotANeedle() {
    byte[] encoded = bytes(Needle.live(SHA, 1L, new byte[50]).encode());
    assertNull(Needle.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)));
    assertNull(Needle.decode(new byte[Needle.HEADER_BYTES + 50]));
    assertNull(Needle.decode(new byte[10]));
  }
}
