package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

/** S6: video watermarks through ffmpeg's drawtext (ffmpeg and a font are installed by .ci/run). */
class VideoWatermarkTest {
  private static final Duration LIMIT = Duration.ofMinutes(2);
  /** Every character the two levels of ffmpeg's escaping treat specially, and an expansion. */
  private static final String HOSTILE = "it's 50% \\ a:b, [c]; d=%{pts} | 2026";

  @TempDir Path dir;

  @Test
  void theWatermarkedClipIsAValidVideoThatDiffersFromTheOriginal() throws Exception {
    Path in = TestFiles.video(dir.resolve("clip.mp4"), 1, 160, 120);
    Path out = dir.resolve("marked");

    ToolResult result = VideoWatermark.apply(Transcoder.ffmpeg(), FontFile.sans(), in, out,
        StampText.line("TRIBUTARY", 0), LIMIT);

    assertEquals(new ToolResult.Done(out), result);
    JsonObject probe = TestFiles.probe(out);
    JsonObject video = TestFiles.videoStream(probe);
    assertNotNull(video, probe.encodePrettily());
    assertEquals(160, video.getInteger("width"));
    assertEquals(120, video.getInteger("height"));
    assertEquals(1.0, TestFiles.duration(probe), 0.15);
    assertTrue(probe.getJsonObject("format").getString("format_name").contains("mp4"), probe.encode());
    assertNotEquals(frameHashes(in), frameHashes(out), "the frames are drawn on");
  }

  /** drawtext with the escaped text draws exactly what it draws from a file holding the raw text. */
  @Test
  void theTextReachesDrawtextExactlyWhateverItHolds() throws Exception {
    Path in = TestFiles.video(dir.resolve("clip.mp4"), 1, 320, 120);
    Path font = FontFile.sans().orElseThrow();
    Path raw = Files.writeString(dir.resolve("text.txt"), HOSTILE);
    String viaFile = VideoWatermark.filter(font, HOSTILE).replaceFirst(":text=.*?:expansion=none",
        ":textfile=" + raw + ":expansion=none");
    assertTrue(viaFile.contains("textfile="), viaFile);

    assertEquals(frameHashes(in, VideoWatermark.filter(font, HOSTILE)), frameHashes(in, viaFile));
    assertNotEquals(frameHashes(in, VideoWatermark.filter(font, "other text")), frameHashes(in, viaFile));
  }

  @Test
  void escapingCoversBothLevels() {
    assertEquals("a\\\\:b", VideoWatermark.escape("a:b"));
    assertEquals("x\\,y\\;z\\[q\\]", VideoWatermark.escape("x,y;z[q]"));
    assertEquals("it\\\\\\'s", VideoWatermark.escape("it's"));
    assertEquals("plain text 100%", VideoWatermark.escape("plain text 100%"));
  }

  @Test
  void withoutFfmpegOrAFontItIsUnsupported() throws Exception {
    Path in = Files.writeString(dir.resolve("clip.mp4"), "pretend");
    Optional<Path> none = Executables.onPath("ffmpeg", dir.resolve("no-such-bin").toString());
    assertEquals(new ToolResult.Unsupported(Transcoder.NOT_INSTALLED),
        VideoWatermark.apply(none, FontFile.sans(), in, dir.resolve("out"), "x", LIMIT));
    ToolResult noFont = VideoWatermark.apply(Transcoder.ffmpeg(), Optional.empty(), in, dir.resolve("out"), "x", LIMIT);
    assertTrue(assertInstanceOf(ToolResult.Unsupported.class, noFont).reason().contains("font"), noFont.toString());
  }

  @Test
  void aFileThatIsNoVideoFailsWithFfmpegsReason() throws Exception {
    Path in = Files.writeString(dir.resolve("clip.mp4"), "not a video at all");
    Path out = dir.resolve("out");

    ToolResult result = VideoWatermark.apply(Transcoder.ffmpeg(), FontFile.sans(), in, out, "x", LIMIT);

    ToolResult.Failed failed = assertInstanceOf(ToolResult.Failed.class, result);
    assertEquals("ffmpeg", failed.tool());
    assertTrue(failed.stderrTail().contains("Invalid data"), failed.stderrTail());
    assertFalse(Files.exists(out));
  }

  private static String frameHashes(Path video) throws Exception {
    return TestFiles.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", video.toString(), "-map", "0:v",
        "-f", "framemd5", "-"));
  }

  private static String frameHashes(Path video, String filter) throws Exception {
    return TestFiles.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", video.toString(), "-map", "0:v",
        "-vf", filter, "-f", "framemd5", "-"));
  }
}
