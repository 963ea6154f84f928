package tributary.store;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The daily range partitions of a task table (X2, V19): {@code <table>_pYYYYMMDD} holds the rows
 * created on that UTC day, {@code <table>_upto_YYYYMMDD} every row before that day (the rows the
 * migration found). Given the time, the retention and the partitions that exist, it says which
 * days to create ahead and which partitions hold only rows past the retention.
 */
public final class PartitionPlan {
  /** Days created ahead of today, so inserts find their day even when maintenance misses a few runs. */
  public static final int DAYS_AHEAD = 7;
  private static final long DAY_MS = 86_400_000L;
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** A partition to create: rows with {@code fromMs <= time < toMs}. */
  public record Partition(String name, long fromMs, long toMs) {}

  /** What maintenance does to one table: partitions to create, then partitions to drop (oldest first). */
  public record Steps(List<Partition> create, List<String> drop) {}

  private PartitionPlan() {}

  /**
   * The steps for {@code table} at {@code nowMs}: every day from today to {@link #DAYS_AHEAD} days
   * ahead that no partition covers yet, and every partition whose rows all lie more than
   * {@code retentionDays} before now (none when it is 0: kept forever). Names of other forms (the
   * default partition) are left alone.
   */
  public static Steps plan(String table, Collection<String> existing, long nowMs, int retentionDays) {
    LocalDate today = day(nowMs);
    LocalDate coveredBefore = LocalDate.MIN;
    List<LocalDate> days = new ArrayList<>();
    for (String name : existing) {
      Optional<LocalDate> upTo = upTo(table, name);
      if (upTo.isPresent() && upTo.get().isAfter(coveredBefore)) {
        coveredBefore = upTo.get();
      }
      dayOf(table, name).ifPresent(days::add);
    }
    List<Partition> create = new ArrayList<>();
    for (int i = 0; i <= DAYS_AHEAD; i++) {
      LocalDate d = today.plusDays(i);
      if (!d.isBefore(coveredBefore) && !days.contains(d)) {
        create.add(new Partition(dayName(table, d), startMs(d), startMs(d.plusDays(1))));
      }
    }
    List<String> drop = new ArrayList<>();
    if (retentionDays > 0) {
      long cutoffMs = nowMs - retentionDays * DAY_MS;
      existing.stream()
          .filter(name -> endMs(table, name).filter(end -> end <= cutoffMs).isPresent())
          .sorted((a, b) -> Long.compare(endMs(table, a).orElseThrow(), endMs(table, b).orElseThrow()))
          .forEach(drop::add);
    }
    return new Steps(create, drop);
  }

  public static String dayName(String table, LocalDate day) {
    return table + "_p" + DAY.format(day);
  }

  public static String upToName(String table, LocalDate day) {
    return table + "_upto_" + DAY.format(day);
  }

  /** Where the rows of {@code name} end (exclusive, epoch ms), if it is one of the table's dated partitions. */
  private static Optional<Long> endMs(String table, String name) {
    return dayOf(table, name).map(d -> startMs(d.plusDays(1))).or(() -> upTo(table, name).map(PartitionPlan::startMs));
  }

  private static Optional<LocalDate> dayOf(String table, String name) {
    return parse(name, table + "_p");
  }

  private static Optional<LocalDate> upTo(String table, String name) {
    return parse(name, table + "_upto_");
  }

  private static Optional<LocalDate> parse(String name, String prefix) {
    if (!name.startsWith(prefix) || name.length() != prefix.length() + 8) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(name.substring(prefix.length()), DAY));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static LocalDate day(long epochMs) {
    return LocalDate.ofEpochDay(Math.floorDiv(epochMs, DAY_MS));
  }

  private static long startMs(LocalDate day) {
    return day.toEpochDay() * DAY_MS;
  }
}
