package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeedleFramesTest {
  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String MD5 = "098f6bcd4621d373cade4e832627b4f6";

  private static NeedleFrames.Frame frame(String sha, String md5, String text) {
    return new NeedleFrames.Frame(new LocalBlobStore.Expected(sha, md5), Buffer.buffer(text));
  }

  @Test
  void framesComeBackAsTheyWentWithOrWithoutTheirChecksums() {
    List<NeedleFrames.Frame> sent = List.of(frame(SHA, MD5, "test"), frame(null, null, ""),
        frame(null, MD5, "only md5"), frame(SHA, null, "only sha"));
    Buffer body = NeedleFrames.encode(sent);
    assertEquals(sent.stream().mapToLong(NeedleFrames.Frame::framedSize).sum(), body.length());
    List<NeedleFrames.Frame> back = NeedleFrames.decode(body);
    assertEquals(sent.size(), back.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(sent.get(i).expected(), back.get(i).expected(), "frame " + i);
      assertEquals(sent.get(i).bytes(), back.get(i).bytes(), "frame " + i);
    }
    assertNull(back.get(1).expected().sha256());
    assertTrue(NeedleFrames.decode(Buffer.buffer()).isEmpty());
  }

  @Test
  void aBodyCutShortAnywhereIsRefused() {
    Buffer body = NeedleFrames.encode(List.of(frame(SHA, MD5, "test"), frame(null, null, "second")));
    for (int cut = 1; cut < body.length(); cut++) {
      if (cut == 1 + 32 + 16 + 4 + 4) {
        continue; // the end of the first frame: a whole body of one
      }
      Buffer cutShort = body.getBuffer(0, cut);
      assertThrows(NeedleFrames.BadFramesException.class, () -> NeedleFrames.decode(cutShort), "cut at " + cut);
    }
  }

  @Test
  void aFrameClaimingMoreThanABatchedBlobMayHaveOrUnknownFlagsIsRefused() {
    Buffer oversized = Buffer.buffer().appendByte((byte) 0).appendInt(NeedleFrames.MAX_BLOB_BYTES + 1)
        .appendBytes(new byte[16]);
    assertTrue(assertThrows(NeedleFrames.BadFramesException.class, () -> NeedleFrames.decode(oversized))
        .getMessage().contains("claims"));
    Buffer negative = Buffer.buffer().appendByte((byte) 0).appendInt(-1);
    assertThrows(NeedleFrames.BadFramesException.class, () -> NeedleFrames.decode(negative));
    Buffer flags = Buffer.buffer().appendByte((byte) 4).appendInt(0);
    assertThrows(NeedleFrames.BadFramesException.class, () -> NeedleFrames.decode(flags));
  }

  @Test
  void tooManyFramesAreRefused() {
    Buffer body = NeedleFrames.encode(java.util.Collections.nCopies(NeedleFrames.MAX_FRAMES + 1,
        frame(null, null, "x")));
    assertThrows(NeedleFrames.BadFramesException.class, () -> NeedleFrames.decode(body));
  }
}
