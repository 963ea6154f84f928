package tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      suite.warmUp();
      return suite;
    } catch (Exception | AssertionError e) {
      suite.close();
      throw e;
    }
  }

  private static final String KILL_CORE = "kill -9 of worker (core, dispatch, 2 stores), started again at once";
  private static final String REDIS_RESTART = "the suite's Redis stopped for 2 s and started again (empty)";

  @Test
  void aCoreKilledAndARedisRestartLoseNoAcknowledgedRecordAndLeaveNoSseGap() throws Exception {
    try (FaultSuite suite = started("fast")) {
      suite.strike("kill-core", KILL_CORE, s -> s.killAndRestart(s.worker));
      suite.strike("redis-restart", REDIS_RESTART, s -> s.restartRedis(2_000));
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

  /** Every fault, in the order they strike; {@code -Dfaults=full} runs them all, {@code -Dfaults=a,b} those named. */
  private static final Map<String, Map.Entry<String, FaultSuite.Fault>> FULL_SET = new LinkedHashMap<>();

  static {
    FULL_SET.put("kill-gateway", Map.entry("kill -9 of relay (gateway, edge, console, cache), started again at once",
        s -> s.killAndRestart(s.relay)));
    FULL_SET.put("kill-core", Map.entry(KILL_CORE, s -> s.killAndRestart(s.worker)));
    FULL_SET.put("kill-storage", Map.entry("kill -9 of worker, held down until its 2 stores are repaired elsewhere",
        s -> s.killHoldAndRestart(s.worker, 2)));
    FULL_SET.put("sigstop", Map.entry("SIGSTOP of worker for 12 s (storage down 3 s, Hazelcast 8 s), then SIGCONT",
        s -> s.freezeAndThaw(s.worker, 12_000)));
    FULL_SET.put("redis-restart", Map.entry(REDIS_RESTART, s -> s.restartRedis(2_000)));
    FULL_SET.put("redis-flushall", Map.entry("FLUSHALL on the suite's Redis", FaultSuite::flushRedis));
    FULL_SET.put("pg-restart", Map.entry("the suite's PostgreSQL stopped (fast) and started again",
        FaultSuite::restartPostgres));
    FULL_SET.put("byte-flip", Map.entry("one byte flipped in a stored copy; scrub finds and replaces it",
        FaultSuite::flipAByte));
    FULL_SET.put("unwritable", Map.entry("one of hub's store folders immutable (chattr +i) for 15 s",
        s -> s.unwritableFolder(15_000)));
  }

  @Test
  void everyFaultOfTheFullSetLosesNothing() throws Exception {
    String chosen = System.getProperty("faults", "");
    assumeTrue(!chosen.isBlank(), "the full set runs with -Dfaults=full (or -Dfaults=name,name)");
    List<String> names = chosen.equals("full") ? List.copyOf(FULL_SET.keySet()) : List.of(chosen.split(","));
    for (String name : names) {
      assertTrue(FULL_SET.containsKey(name), "no fault '" + name + "'; the faults are " + FULL_SET.keySet());
    }
    try (FaultSuite suite = started(chosen.equals("full") ? "full" : "some")) {
      for (String name : names) {
        suite.strike(name, FULL_SET.get(name).getKey(), FULL_SET.get(name).getValue());
      }
      FaultChecker.Report report = suite.finish();
      System.out.print(report.print());
      assertTrue(report.passed(), report.print());
    }
  }
}
