package tributary.storage;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The body of a batch of small blobs bound for one storage node ({@code PUT
 * /internal/stores/{node}/needles}, S1): frames one after another, each a flags byte (1: a SHA-256
 * follows, 2: an MD5 follows), the 32-byte SHA-256 and 16-byte MD5 the blob must hash to when the
 * client claimed them, the blob's length as a 4-byte big-endian int, and its bytes.
 */
public final class NeedleFrames {
  /** The largest blob a frame carries; bigger ones are streamed on their own. */
  public static final int MAX_BLOB_BYTES = 4 << 20;
  public static final int MAX_FRAMES = 256;
  /** The largest batch body a storage node reads: room for one blob of the largest size and more. */
  public static final long MAX_BODY_BYTES = 2L * MAX_BLOB_BYTES;
  private static final int HAS_SHA256 = 1;
  private static final int HAS_MD5 = 2;
  private static final HexFormat HEX = HexFormat.of();

  private NeedleFrames() {}

  /** One blob of a batch and what it must hash to. */
  public record Frame(LocalBlobStore.Expected expected, Buffer bytes) {
    /** The frame's length in a body. */
    public long framedSize() {
      return 1 + (expected.sha256() == null ? 0 : 32) + (expected.md5() == null ? 0 : 16) + 4 + bytes.length();
    }
  }

  /** A body that is not a whole sequence of frames within the limits. */
  public static final class BadFramesException extends IllegalArgumentException {
    BadFramesException(String message) {
      super(message);
    }
  }

  public static Buffer encode(List<Frame> frames) {
    Buffer body = Buffer.buffer((int) frames.stream().mapToLong(Frame::framedSize).sum());
    for (Frame f : frames) {
      String sha = f.expected().sha256();
      String md5 = f.expected().md5();
      body.appendByte((byte) ((sha == null ? 0 : HAS_SHA256) | (md5 == null ? 0 : HAS_MD5)));
      if (sha != null) {
        body.appendBytes(digest(sha, 32));
      }
      if (md5 != null) {
        body.appendBytes(digest(md5, 16));
      }
      body.appendInt(f.bytes().length()).appendBuffer(f.bytes());
    }
    return body;
  }

  private static byte[] digest(String hex, int length) {
    byte[] bytes = HEX.parseHex(hex);
    if (bytes.length != length) {
      throw new IllegalArgumentException("a digest of " + length + " bytes expected, got " + hex);
    }
    return bytes;
  }

  /** The frames of a body; the blobs are slices of it, not copies. */
  public static List<Frame> decode(Buffer body) {
    List<Frame> frames = new ArrayList<>();
    int at = 0;
    while (at < body.length()) {
      if (frames.size() == MAX_FRAMES) {
        throw new BadFramesException("more than " + MAX_FRAMES + " blobs in one batch");
      }
      int flags = body.getByte(at++);
      if ((flags & ~(HAS_SHA256 | HAS_MD5)) != 0) {
        throw new BadFramesException("frame " + frames.size() + " has unknown flags " + flags);
      }
      String sha = null;
      String md5 = null;
      if ((flags & HAS_SHA256) != 0) {
        sha = HEX.formatHex(take(body, at, 32, frames.size()).getBytes());
        at += 32;
      }
      if ((flags & HAS_MD5) != 0) {
        md5 = HEX.formatHex(take(body, at, 16, frames.size()).getBytes());
        at += 16;
      }
      int length = take(body, at, 4, frames.size()).getInt(0);
      at += 4;
      if (length < 0 || length > MAX_BLOB_BYTES) {
        throw new BadFramesException("frame " + frames.size() + " claims " + length + " bytes, more than the "
            + MAX_BLOB_BYTES + " a batched blob may have");
      }
      frames.add(new Frame(new LocalBlobStore.Expected(sha, md5), take(body, at, length, frames.size())));
      at += length;
    }
    return frames;
  }

  private static Buffer take(Buffer body, int at, int length, int frame) {
    if (body.length() - at < length) {
      throw new BadFramesException("frame " + frame + " is cut short: " + length + " bytes wanted at " + at + " of "
          + body.length());
    }
    return body.slice(at, at + length);
  }
}
