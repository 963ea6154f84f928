package tributary.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** S2: the work term f_i with the durations of the media waiting for transcoding. */
class PendingWorkTest {
  private static final double EPS = 1e-9;
  private static final double B = PendingWork.Bitrate.MEDIUM.standard;

  @Test
  void mediaDurationsAddUpInHoursPerTerm() {
    PendingWork work = new PendingWork()
        .add(PendingWork.Part.TRANSCODE_VIDEO, 300, 5400)   // 1.5 h
        .add(PendingWork.Part.TRANSCODE_VIDEO, 100, 1800)   // 0.5 h
        .add(PendingWork.Part.TRANSCODE_AUDIO, 50, 900)     // 0.25 h
        .add(PendingWork.Part.PROTECT_VIDEO, 1000, 7200);   // protection takes no time in the seed's term

    assertEquals(2.0, work.videoHours(), EPS);
    assertEquals(0.25, work.audioHours(), EPS);
    assertEquals(400 * (2.0 + B) + 50 * (0.25 + B) + 1000, work.weighed(B), EPS);
  }

  @Test
  void unmeasuredMediaCountsNoTimeOnlyItsBitrateStandard() {
    PendingWork work = new PendingWork().add(PendingWork.Part.TRANSCODE_VIDEO, 200, 0)
        .add(PendingWork.Part.TRANSCODE_AUDIO, 20, Double.NaN).add(PendingWork.Part.TRANSCODE_AUDIO, 20, -60);

    assertEquals(0, work.videoHours(), EPS);
    assertEquals(0, work.audioHours(), EPS);
    assertEquals(200 * B + 40 * B, work.weighed(B), EPS);
  }

  @Test
  void aLongerVideoWeighsMoreThanAShortOneOfTheSameSize() {
    double shortClip = new PendingWork().add(PendingWork.Part.TRANSCODE_VIDEO, 100, 60).weighed(B);
    double film = new PendingWork().add(PendingWork.Part.TRANSCODE_VIDEO, 100, 7200).weighed(B);
    assertEquals(100 * (2 - 60.0 / 3600), film - shortClip, EPS);
  }
}
