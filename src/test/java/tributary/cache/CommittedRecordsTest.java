package tributary.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.bus.ChannelCommitted;
import tributary.bus.StoredRecord;

/** Q3: a commit notice carries its records up to a bounded size, else their cursor range only. */
class CommittedRecordsTest {
  private static List<StoredRecord> records(long first, int count, int payloadChars) {
    List<StoredRecord> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new StoredRecord("c", first + i, "00000000-0000-0000-0000-00000000000" + (i % 10), "e", "t", 5, 0, 0,
          "s", null, "\"" + "x".repeat(payloadChars) + "\"", null));
    }
    return out;
  }

  @Test
  void aSmallCommitCarriesItsRecords() {
    List<StoredRecord> stored = records(11, 3, 10);
    ChannelCommitted notice = CommittedRecords.notice("c", stored);
    assertTrue(notice.carriesRecords());
    assertEquals(11, notice.first());
    assertEquals(13, notice.last());
    assertEquals(stored.get(2).toJsonText(), notice.records().get(2));
  }

  @Test
  void aLargeCommitNamesItsRangeOnly() {
    ChannelCommitted notice = CommittedRecords.notice("c", records(1, 100, CommittedRecords.NOTICE_MAX_CHARS / 50));
    assertFalse(notice.carriesRecords());
    assertEquals(1, notice.first());
    assertEquals(100, notice.last());
  }
}
