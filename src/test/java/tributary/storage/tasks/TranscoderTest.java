package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

class TranscoderTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Finds -i's argument and the last argument, as ffmpeg does, and copies one to the other. */
  private static final String COPYING_FFMPEG =
      """
      #!/bin/sh
      while [ $# -gt 1 ]; do
        if [ "$1" = "-i" ]; then in="$2"; fi
        shift
      done
      cp "$in" "$1"
      """;

  private static final String FAILING_FFMPEG =
      """
      #!/bin/sh
      while [ $# -gt 1 ]; do shift; done
      echo partial > "$1"
      i=1
      while [ $i -le 30 ]; do echo "detail line $i" >&2; i=$((i + 1)); done
      echo "Conversion failed!" >&2
      exit 3
      """;

  private static final String HANGING_FFMPEG =
      """
      #!/bin/sh
      echo "starting" >&2
      exec sleep 60
      """;

  @TempDir Path dir;
  Path in;
  Path out;

  @BeforeEach
  void files() throws IOException {
    in = Files.writeString(dir.resolve("clip.mov"), "pretend video");
    out = dir.resolve("clip-transcoded");
  }

  @Test
  void withoutFfmpegOnThePathTheTaskIsUnsupported() throws Exception {
    Path emptyBin = Files.createDirectory(dir.resolve("bin"));
    Optional<Path> none = Executables.onPath("ffmpeg", emptyBin + File.pathSeparator + "/nonexistent");
    assertTrue(none.isEmpty());

    ToolResult result = Transcoder.transcode(none, in, out, "mp4", TIMEOUT);

    assertEquals(new ToolResult.Unsupported("ffmpeg is not installed on this node"), result);
  }

  @Test
  void thisNodesFfmpegTranscodesARealClip() throws Exception {
    assertTrue(Transcoder.ffmpeg().isPresent(), ".ci/run installs ffmpeg");
    Path clip = TestFiles.video(dir.resolve("real.mp4"), 1, 160, 120);

    assertEquals(new ToolResult.Done(out), Transcoder.transcode(clip, out, "webm"));

    JsonObject probe = TestFiles.probe(out);
    assertTrue(probe.getJsonObject("format").getString("format_name").contains("webm"), probe.encode());
    assertEquals(1.0, TestFiles.duration(probe), 0.15);
    assertTrue(List.of("vp8", "vp9", "av1").contains(TestFiles.videoStream(probe).getString("codec_name")),
        probe.encode());
  }

  @Test
  void ffmpegIsFoundInTheFirstPathEntryThatHasAnExecutableOne() throws IOException {
    Path notExecutable = Files.createDirectory(dir.resolve("a"));
    Files.writeString(notExecutable.resolve("ffmpeg"), COPYING_FFMPEG);
    Path bin = fakeFfmpeg("b", COPYING_FFMPEG).getParent();

    assertEquals(
        Optional.of(bin.resolve("ffmpeg")),
        Executables.onPath("ffmpeg", "" + File.pathSeparator + notExecutable + File.pathSeparator + bin));
  }

  @Test
  void aSuccessfulRunIsDone() throws Exception {
    Path bin = fakeFfmpeg("ok", COPYING_FFMPEG).getParent();
    Optional<Path> ffmpeg = Executables.onPath("ffmpeg", bin.toString());

    ToolResult result = Transcoder.transcode(ffmpeg, in, out, "MP4", TIMEOUT);

    assertEquals(new ToolResult.Done(out), result);
    assertEquals("pretend video", Files.readString(out));
  }

  @Test
  void aFailedRunReportsTheExitCodeAndTheLastLinesOfStderr() throws Exception {
    Optional<Path> ffmpeg = Optional.of(fakeFfmpeg("fail", FAILING_FFMPEG));

    ToolResult result = Transcoder.transcode(ffmpeg, in, out, "ogg", TIMEOUT);

    ToolResult.Failed failed = assertInstanceOf(ToolResult.Failed.class, result);
    assertEquals(3, failed.exitCode());
    assertTrue(failed.stderrTail().endsWith("detail line 30\nConversion failed!"));
    assertFalse(failed.stderrTail().contains("detail line 1\n"), "only the tail is kept");
    assertFalse(Files.exists(out), "no half-written output is left behind");
  }

  @Test
  void aRunPastTheTimeoutIsStoppedAndReported() throws Exception {
    Optional<Path> ffmpeg = Optional.of(fakeFfmpeg("hang", HANGING_FFMPEG));
    Duration limit = Duration.ofMillis(300);

    ToolResult result = Transcoder.transcode(ffmpeg, in, out, "wav", limit);

    ToolResult.TimedOut timedOut = assertInstanceOf(ToolResult.TimedOut.class, result);
    assertEquals(limit, timedOut.limit());
    assertEquals("starting", timedOut.stderrTail());
  }

  @Test
  void formatsOutsideTheListAreRefused() {
    for (String format : new String[] {"avi", "mp4; rm -rf /", "../png", "", null}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> Transcoder.transcode(Optional.empty(), in, out, format, TIMEOUT),
          String.valueOf(format));
    }
  }

  private Path fakeFfmpeg(String dirName, String script) throws IOException {
    Path bin = Files.createDirectory(dir.resolve(dirName));
    Path ffmpeg = Files.writeString(bin.resolve("ffmpeg"), script);
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    return ffmpeg;
  }
}
