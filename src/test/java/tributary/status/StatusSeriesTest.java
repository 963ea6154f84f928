package tributary.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusSeriesTest {
  @Test
  void aReadNeverStartsBeforeWhatIsKept() {
    long hour = 3_600_000;
    long now = 10 * hour;
    assertEquals(9 * hour, StatusSeries.cutoff(now, hour));
    assertEquals(9 * hour, StatusSeries.from(0, now, hour), "since absent or older: all that is kept");
    assertEquals(now - 1000, StatusSeries.from(now - 1000, now, hour));
  }

  @Test
  void theSweepRunsASixtiethOfTheRetentionButNotMoreThanOnceASecond() {
    assertEquals(60_000, StatusSeries.sweepEveryMs(3_600_000));
    assertEquals(1000, StatusSeries.sweepEveryMs(5_000));
  }
}
