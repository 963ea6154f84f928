package tributary.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.store.PartitionPlan.Partition;

/** X2: which daily task partitions maintenance creates ahead and which it drops past the retention. */
class PartitionPlanTest {
  private static final long DAY_MS = 86_400_000L;

  private static long at(String isoDate, int hour) {
    return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + hour * 3_600_000L;
  }

  private static List<String> names(List<Partition> partitions) {
    return partitions.stream().map(Partition::name).toList();
  }

  @Test
  void anEmptyTableGetsTodayAndTheDaysAheadEachCoveringOneUtcDay() {
    PartitionPlan.Steps steps = PartitionPlan.plan("t", List.of(), at("2026-12-30", 23), 30);
    assertEquals(List.of("t_p20261230", "t_p20261231", "t_p20270101", "t_p20270102", "t_p20270103", "t_p20270104",
        "t_p20270105", "t_p20270106"), names(steps.create()));
    Partition first = steps.create().get(0);
    assertEquals(at("2026-12-30", 0), first.fromMs());
    assertEquals(first.fromMs() + DAY_MS, first.toMs());
    assertEquals(List.of(), steps.drop());
  }

  @Test
  void onlyMissingDaysAreCreatedAndNoneThatTheMigrationsHistoryPartitionCovers() {
    List<String> existing = List.of("t_upto_20261205", "t_p20261205", "t_p20261206", "t_pdefault");
    PartitionPlan.Steps steps = PartitionPlan.plan("t", existing, at("2026-12-04", 12), 0);
    assertEquals(List.of("t_p20261207", "t_p20261208", "t_p20261209", "t_p20261210", "t_p20261211"),
        names(steps.create()));
  }

  @Test
  void partitionsWhoseRowsAreAllPastTheRetentionAreDroppedOldestFirst() {
    List<String> existing = List.of("t_p20261103", "t_upto_20261101", "t_p20261102", "t_p20261104", "t_pdefault",
        "other_p20200101", "t_p2026110x");
    // 30 days before 2026-12-04 12:00 is 2026-11-04 12:00: the 3rd ended before it, the 4th did not
    PartitionPlan.Steps steps = PartitionPlan.plan("t", existing, at("2026-12-04", 12), 30);
    assertEquals(List.of("t_upto_20261101", "t_p20261102", "t_p20261103"), steps.drop());
  }

  @Test
  void retentionZeroKeepsEverything() {
    PartitionPlan.Steps steps = PartitionPlan.plan("t", List.of("t_upto_20000101", "t_p20000101"),
        at("2026-12-04", 0), 0);
    assertEquals(List.of(), steps.drop());
  }

  @Test
  void aDayEndingExactlyAtTheCutoffIsDropped() {
    PartitionPlan.Steps steps = PartitionPlan.plan("t", List.of("t_p20261202", "t_p20261203"),
        at("2026-12-04", 0), 1);
    assertEquals(List.of("t_p20261202"), steps.drop());
  }
}
