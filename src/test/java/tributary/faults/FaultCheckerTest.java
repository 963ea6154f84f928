package tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker must be able to fail: each kind of loss it exists to find is planted and found. */
class FaultCheckerTest {
  @TempDir
  Path dir;

  private List<JsonObject> log;
  private Map<String, StoreSnapshot.Row> records;
  private Map<String, Integer> markers;
  private Map<String, String> tasks;
  private Map<String, Integer> taskMarkers;
  private Map<String, StoreSnapshot.Blob> blobs;

  /** Ten records on channel c acknowledged at cursors 1..10 and stored so, two SSE clients that saw them all. */
  @BeforeEach
  void aCleanRun() throws Exception {
    Path file = dir.resolve("acks.jsonl");
    try (AckLog ackLog = new AckLog(file)) {
      for (int i = 1; i <= 10; i++) {
        ackLog.record("c", "id-" + i, i, "m-" + i, 1000L + i, 1010L + i);
      }
      ackLog.task("1_1_000001", "bob", "t-1", 1000, 1020);
      ackLog.blob("b-1", "aaaa", 1000, 1050);
      for (String client : List.of("r1", "r2")) {
        for (int i = 1; i <= 10; i++) {
          ackLog.sse(client, "c", i);
        }
      }
      ackLog.fault("kill-core", "kill -9 of the core", 1005, 1008);
    }
    log = new ArrayList<>(AckLog.read(file));
    records = new HashMap<>();
    markers = new HashMap<>();
    for (int i = 1; i <= 10; i++) {
      records.put("id-" + i, new StoreSnapshot.Row("c", i));
      markers.put("m-" + i, 1);
    }
    tasks = new HashMap<>(Map.of("1_1_000001", "delivered"));
    taskMarkers = new HashMap<>(Map.of("t-1", 1));
    blobs = new HashMap<>(Map.of("b-1", new StoreSnapshot.Blob(true, 3, 3, "aaaa")));
  }

  private FaultChecker.Report check() {
    return FaultChecker.check(log, new StoreSnapshot(records, markers, Map.of("c", 10L), tasks, taskMarkers, blobs));
  }

  @Test
  void aCleanRunPassesAndMeasuresTheWaitDuringEachFault() {
    FaultChecker.Report report = check();
    assertTrue(report.passed(), report.print());
    assertEquals(10, report.recordsAcked());
    assertEquals(List.of(new FaultChecker.FaultLatency("kill-core", "kill -9 of the core", 3, 10, 50, 0,
        Map.of("blob", 50L, "record", 10L, "task", 20L))),
        report.faults(), "records 1..8, the task and the blob were waited for during the window; the blob 50 ms");
    assertEquals(10, report.longestWaitOutsideFaultsMs(), "records 9 and 10 came after it, each in 10 ms");
  }

  @Test
  void aDeletedRowIsReportedLost() {
    records.remove("id-4");
    markers.remove("m-4");
    FaultChecker.Report report = check();
    assertFalse(report.passed());
    assertEquals(1, report.recordsLost());
    assertTrue(report.print().contains("record lost: id-4"), report.print());
  }

  @Test
  void aSkippedSseEventIsReportedAsAGapOfThatClientOnly() {
    log.removeIf(l -> l.getString("k").equals(AckLog.SSE) && l.getString("client").equals("r2") && l.getLong("id") == 6);
    FaultChecker.Report report = check();
    assertFalse(report.passed());
    assertEquals(List.of(new FaultChecker.SseResult("r1", "c", 10, 0, 0), new FaultChecker.SseResult("r2", "c", 9, 1, 0)),
        report.sse());
    assertTrue(report.print().contains("first irregular step 5 -> 7"), report.print());
  }

  @Test
  void anUnseenTailAndARepeatedEventAreGapsToo() {
    log.removeIf(l -> l.getString("k").equals(AckLog.SSE) && l.getString("client").equals("r1") && l.getLong("id") > 8);
    log.add(new JsonObject().put("k", AckLog.SSE).put("client", "r2").put("channel", "c").put("id", 10));
    FaultChecker.Report report = check();
    assertEquals(List.of(new FaultChecker.SseResult("r1", "c", 8, 2, 0), new FaultChecker.SseResult("r2", "c", 11, 0, 1)),
        report.sse());
    assertEquals(3, report.sseGaps());
  }

  @Test
  void aRecordStoredTwiceOrMovedIsReported() {
    markers.put("m-3", 2);
    records.put("id-5", new StoreSnapshot.Row("c", 11));
    FaultChecker.Report report = check();
    assertEquals(1, report.recordsDuplicated());
    assertEquals(1, report.cursorsChanged());
    assertFalse(report.passed());
  }

  @Test
  void tasksAndBlobsLostUndeliveredOrShortOfCopiesAreReported() {
    tasks.put("1_1_000001", "retrying");
    taskMarkers.put("t-1", 2);
    blobs.put("b-1", new StoreSnapshot.Blob(true, 2, 3, "aaaa"));
    FaultChecker.Report report = check();
    assertEquals(1, report.tasksUndelivered());
    assertEquals(1, report.tasksDuplicated());
    assertEquals(1, report.blobsBelowCopies());
    tasks.clear();
    blobs.put("b-1", new StoreSnapshot.Blob(true, 3, 3, "bbbb"));
    report = check();
    assertEquals(1, report.tasksLost());
    assertEquals(1, report.blobsLost());
  }

  @Test
  void a500IsReportedAndAClean503IsNot() {
    log.add(new JsonObject().put("k", AckLog.REFUSED).put("kind", "record").put("status", 503)
        .put("error", "503 outcome_unknown").put("at", 1006));
    assertTrue(check().passed(), check().print());
    assertEquals(1, check().faults().get(0).refusals(), "the 503 came during the fault");
    log.add(new JsonObject().put("k", AckLog.REFUSED).put("kind", "task").put("status", 500)
        .put("error", "500 internal").put("at", 1007));
    FaultChecker.Report report = check();
    assertFalse(report.passed());
    assertEquals(Map.of("record 503 outcome_unknown", 1L, "task 500 internal", 1L), report.otherAnswers());
  }

  @Test
  void aRunThatAcknowledgedNothingDoesNotPass() throws Exception {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    FaultChecker.Report report = FaultChecker.check(AckLog.read(empty),
        new StoreSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of()));
    assertFalse(report.passed(), report.print());
  }
}
