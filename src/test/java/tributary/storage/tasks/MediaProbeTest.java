package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

/** S2: media durations for the load score's time(v) and time(a), through ffprobe (installed by .ci/run). */
class MediaProbeTest {
  @TempDir Path dir;

  @Test
  void ffprobeMeasuresAVideoAndAnAudioFile() throws Exception {
    Path ffprobe = MediaProbe.ffprobe().orElseThrow(() -> new AssertionError(".ci/run installs ffmpeg"));
    Path video = TestFiles.video(dir.resolve("clip.mp4"), 2, 160, 120);
    Path audio = TestFiles.audio(dir.resolve("tone.wav"), 3);

    assertEquals(2.0, MediaProbe.seconds(ffprobe, video, MediaProbe.DEFAULT_TIMEOUT).orElseThrow(), 0.15);
    assertEquals(3.0, MediaProbe.seconds(ffprobe, audio, MediaProbe.DEFAULT_TIMEOUT).orElseThrow(), 0.05);
  }

  @Test
  void aFileThatIsNoMediaHasNoDuration() throws Exception {
    Path ffprobe = MediaProbe.ffprobe().orElseThrow(() -> new AssertionError(".ci/run installs ffmpeg"));
    Path text = Files.writeString(dir.resolve("notes.mp4"), "no media here");

    assertTrue(MediaProbe.seconds(ffprobe, text, MediaProbe.DEFAULT_TIMEOUT).isEmpty());
  }

  @Test
  void ffprobesAnswerIsReadStrictly() {
    assertEquals(OptionalDouble.of(12.48), MediaProbe.parseSeconds("12.480000\n"));
    assertEquals(OptionalDouble.of(3600), MediaProbe.parseSeconds("3600"));
    for (String answer : new String[] {"N/A", "", "-1.0", "1e9", "nan", "inf", "12.5,13", null}) {
      assertTrue(MediaProbe.parseSeconds(answer).isEmpty(), String.valueOf(answer));
    }
  }
}
