package tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * X5, Q4, S4, S5 across real processes: the {@link FaultSuite} with the checker's verdict. CI runs
 * the fast subset (kill -9 of a core, a Redis restart); {@code -Dfaults=full} (or
 * {@code scripts/faults/run-all}) runs every fault. The report of each run is written to
 * {@code target/faults/<run>/report.txt}, beside the nodes' logs and the acknowledgement log.
 */
class FaultSuiteTest {
  private static Path runDir(String name) {
    return Path.of("target", "faults", name + "-" + System.currentTimeMillis()).toAbsolutePath();
  }

  /** The cluster up, writers and readers running, writes acknowledged. */
  private static FaultSuite started(String name) throws Exception {
    FaultSuite suite = new FaultSuite(runDir(name));
    try {
      suite.start();
      suite.startLoad();
      suite.awaitFlowing(40, 60_000, "writes flowing before the faults");
      return suite;
    } catch (Exception | AssertionError e) {
      suite.close();
      throw e;
    }
  }

  private static void killCore(FaultSuite suite) throws Exception {
    suite.strike("kill-core", "kill -9 of worker (core, dispatch, 2 stores), started again at once",
        s -> s.killAndRestart(s.worker));
  }

  private static void restartRedis(FaultSuite suite) throws Exception {
    suite.strike("redis-restart", "the suite's Redis stopped for 2 s and started again (empty)",
        s -> s.restartRedis(2_000));
  }

  @Test
  void aCoreKilledAndARedisRestartLoseNoAcknowledgedRecordAndLeaveNoSseGap() throws Exception {
    try (FaultSuite suite = started("fast")) {
      killCore(suite);
      restartRedis(suite);
      FaultChecker.Report report = suite.finish();
      System.out.print(report.print());
      assertTrue(report.passed(), report.print());
      assertEquals(0, report.recordsLost() + report.recordsDuplicated() + report.sseGaps());

      // The same checker on the same stores, after a row an acknowledgement names is deleted.
      String deleted = suite.deleteOneAcknowledgedRecord();
      FaultChecker.Report tampered = suite.check("report-after-deleting-a-row.txt");
      assertEquals(1, tampered.recordsLost(), tampered.print());
      assertTrue(tampered.print().contains("record lost: " + deleted), tampered.print());
    }
  }

  @Test
  void everyFaultOfTheFullSetLosesNothing() throws Exception {
    assumeTrue("full".equals(System.getProperty("faults")), "the full set runs with -Dfaults=full");
    try (FaultSuite suite = started("full")) {
      suite.strike("kill-gateway", "kill -9 of relay (gateway, edge, console, cache), started again at once",
          s -> s.killAndRestart(s.relay));
      killCore(suite);
      suite.strike("kill-storage", "kill -9 of worker, held down until its 2 stores are repaired elsewhere",
          s -> s.killHoldAndRestart(s.worker, 2));
      suite.strike("sigstop", "SIGSTOP of worker for 12 s (storage down 3 s, Hazelcast 8 s), then SIGCONT",
          s -> s.freezeAndThaw(s.worker, 12_000));
      restartRedis(suite);
      suite.strike("redis-flushall", "FLUSHALL on the suite's Redis", FaultSuite::flushRedis);
      suite.strike("pg-restart", "the suite's PostgreSQL stopped (fast) and started again",
          FaultSuite::restartPostgres);
      suite.strike("byte-flip", "one byte flipped in a stored copy; scrub finds and replaces it",
          FaultSuite::flipAByte);
      suite.strike("unwritable", "one of hub's store folders immutable (chattr +i) for 15 s",
          s -> s.unwritableFolder(15_000));
      FaultChecker.Report report = suite.finish();
      System.out.print(report.print());
      assertTrue(report.passed(), report.print());
    }
  }
}
