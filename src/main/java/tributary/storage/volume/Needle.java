package tributary.storage.volume;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * One blob in a volume (S1): a header with its magic, flags, size, landing time and SHA-256, a
 * CRC-32C over the header and the bytes, then the bytes. A tombstone is a needle with the
 * {@link #TOMBSTONE} flag and no bytes: it marks an earlier needle of the same hash deleted.
 */
public record Needle(byte flags, String sha256, long landedAt, byte[] data) {
  static final int MAGIC = 0x4E45444C;
  /** magic 4, flags 1, padding 3, size 8, landed at 8, SHA-256 32, CRC-32C 4. */
  public static final int HEADER_BYTES = 60;
  public static final byte LIVE = 0;
  public static final byte TOMBSTONE = 1;
  private static final HexFormat HEX = HexFormat.of();

  public static Needle live(String sha256, long landedAt, byte[] data) {
    return new Needle(LIVE, sha256, landedAt, data);
  }

  public static Needle tombstone(String sha256, long landedAt) {
    return new Needle(TOMBSTONE, sha256, landedAt, new byte[0]);
  }

  /** Bytes the needle takes in its volume. */
  public long length() {
    return HEADER_BYTES + (long) data.length;
  }

  public ByteBuffer encode() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + data.length);
    out.putInt(MAGIC).put(flags).put(new byte[3]).putLong(data.length).putLong(landedAt).put(HEX.parseHex(sha256));
    int crc = checksum(out.array(), HEADER_BYTES - 4, data, 0, data.length);
    out.putInt(crc).put(data);
    return out.flip();
  }

  /** The header of a needle as read from disk; {@link #intact} says whether {@code data} matches it. */
  public record Header(byte flags, long size, long landedAt, String sha256, int crc, byte[] raw) {
    public long length() {
      return HEADER_BYTES + size;
    }

    public boolean intact(byte[] data, int offset, int length) {
      return length == size && crc == checksum(raw, HEADER_BYTES - 4, data, offset, length);
    }
  }

  /** The header in {@code bytes} (at least {@link #HEADER_BYTES}), or null when it is not one. */
  public static Header header(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
    if (in.getInt() != MAGIC) {
      return null;
    }
    byte flags = in.get();
    in.position(in.position() + 3);
    long size = in.getLong();
    long landedAt = in.getLong();
    byte[] sha = new byte[32];
    in.get(sha);
    int crc = in.getInt();
    if (size < 0 || (flags != LIVE && flags != TOMBSTONE)) {
      return null;
    }
    return new Header(flags, size, landedAt, HEX.formatHex(sha), crc, bytes);
  }

  /** Decodes a whole needle, or null when its header is not one or its bytes fail the CRC. */
  static Needle decode(byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      return null;
    }
    Header h = header(bytes);
    if (h == null || h.length() != bytes.length || !h.intact(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES)) {
      return null;
    }
    byte[] data = new byte[bytes.length - HEADER_BYTES];
    System.arraycopy(bytes, HEADER_BYTES, data, 0, data.length);
    return new Needle(h.flags(), h.sha256(), h.landedAt(), data);
  }

  private static int checksum(byte[] header, int headerLength, byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(header, 0, headerLength);
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Needle n && n.flags == flags && n.sha256.equals(sha256) && n.landedAt == landedAt
        && java.util.Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return sha256.hashCode();
  }

  @Override
  public String toString() {
    return "Needle[" + sha256 + ", flags " + flags + ", " + data.length + " bytes]";
  }
}
