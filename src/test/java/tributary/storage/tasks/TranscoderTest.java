package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.storage.tasks.Transcoder.Result;

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
    Optional<Path> none = Transcoder.ffmpeg(emptyBin + File.pathSeparator + "/nonexistent");
    assertTrue(none.isEmpty());

    Result result = Transcoder.transcode(none, in, out, "mp4", TIMEOUT);

    assertEquals(new Result.Unsupported("ffmpeg is not installed on this node"), result);
  }

  @Test
  void thisNodeWithoutFfmpegSaysSo() throws Exception {
    assumeTrue(Transcoder.ffmpeg().isEmpty(), "ffmpeg is installed here");
    assertEquals(
        new Result.Unsupported(Transcoder.NOT_INSTALLED), Transcoder.transcode(in, out, "webm"));
  }

  @Test
  void ffmpegIsFoundInTheFirstPathEntryThatHasAnExecutableOne() throws IOException {
    Path notExecutable = Files.createDirectory(dir.resolve("a"));
    Files.writeString(notExecutable.resolve("ffmpeg"), COPYING_FFMPEG);
    Path bin = fakeFfmpeg("b", COPYING_FFMPEG).getParent();

    assertEquals(
        Optional.of(bin.resolve("ffmpeg")),
        Transcoder.ffmpeg("" + File.pathSeparator + notExecutable + File.pathSeparator + bin));
  }

  @Test
  void aSuccessfulRunIsDone() throws Exception {
    Path bin = fakeFfmpeg("ok", COPYING_FFMPEG).getParent();
    Optional<Path> ffmpeg = Transcoder.ffmpeg(bin.toString());

    Result result = Transcoder.transcode(ffmpeg, in, out, "MP4", TIMEOUT);

    assertEquals(new Result.Done(out), result);
    assertEquals("pretend video", Files.readString(out));
  }

  @Test
  void aFailedRunReportsTheExitCodeAndTheLastLinesOfStderr() throws Exception {
    Optional<Path> ffmpeg = Optional.of(fakeFfmpeg("fail", FAILING_FFMPEG));

    Result result = Transcoder.transcode(ffmpeg, in, out, "ogg", TIMEOUT);

    Result.Failed failed = assertInstanceOf(Result.Failed.class, result);
    assertEquals(3, failed.exitCode());
    assertTrue(failed.stderrTail().endsWith("detail line 30\nConversion failed!"));
    assertFalse(failed.stderrTail().contains("detail line 1\n"), "only the tail is kept");
    assertFalse(Files.exists(out), "no half-written output is left behind");
  }

  @Test
  void aRunPastTheTimeoutIsStoppedAndReported() throws Exception {
    Optional<Path> ffmpeg = Optional.of(fakeFfmpeg("hang", HANGING_FFMPEG));
    Duration limit = Duration.ofMillis(300);

    Result result = Transcoder.transcode(ffmpeg, in, out, "wav", limit);

    Result.TimedOut timedOut = assertInstanceOf(Result.TimedOut.class, result);
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
