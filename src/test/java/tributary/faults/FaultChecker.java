package tributary.faults;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the clients' acknowledgement log with what the stores hold (X5, Q4): acknowledged
 * records lost, stored twice or moved to another cursor; tasks lost, stored twice or never
 * delivered; blobs lost, changed or below their copy count; per SSE client, event ids missing or
 * seen twice; and per fault, the longest a client waited for an acknowledgement while it lasted.
 */
final class FaultChecker {
  private static final Set<String> DELIVERED = Set.of("delivered", "consumed");
  private static final int EXAMPLES = 10;

  private FaultChecker() {}

  /** One SSE client's account: events seen, ids missing (including the unseen tail), ids seen again. */
  record SseResult(String client, String channel, long events, long gaps, long repeats) {}

  /**
   * One fault's effect: how long it lasted, acknowledgements waited through it, the longest wait,
   * and the answers in it that were not acknowledgements (refusals, outcome unknown, no answer).
   */
  record FaultLatency(String name, String what, long durationMs, long acks, long longestWaitMs, long refusals,
      Map<String, Long> longestByKind) {}

  record Report(long recordsAcked, long recordsLost, long recordsDuplicated, long cursorsChanged, long tasksAcked,
      long tasksLost, long tasksDuplicated, long tasksUndelivered, long blobsAcked, long blobsLost,
      long blobsBelowCopies, List<SseResult> sse, List<FaultLatency> faults, long longestWaitOutsideFaultsMs,
      Map<String, Long> otherAnswers, List<String> problems) {

    long sseGaps() {
      return sse.stream().mapToLong(s -> s.gaps() + s.repeats()).sum();
    }

    /** True when nothing was lost, duplicated, moved, skipped or left short, and something was checked. */
    boolean passed() {
      return problems.isEmpty();
    }

    String print() {
      StringBuilder out = new StringBuilder("fault suite checker\n");
      out.append(String.format("records: acknowledged %d, lost %d, duplicated %d, cursor changed %d%n", recordsAcked,
          recordsLost, recordsDuplicated, cursorsChanged));
      out.append(String.format("tasks:   acknowledged %d, lost %d, duplicated %d, undelivered %d%n", tasksAcked,
          tasksLost, tasksDuplicated, tasksUndelivered));
      out.append(String.format("blobs:   acknowledged %d, lost or changed %d, below their copy count after repair %d%n",
          blobsAcked, blobsLost, blobsBelowCopies));
      for (SseResult s : sse) {
        out.append(String.format("sse %s on %s: events %d, gaps %d, repeats %d%n", s.client(), s.channel(), s.events(),
            s.gaps(), s.repeats()));
      }
      for (FaultLatency f : faults) {
        out.append(String.format("fault %-15s %6d ms, %5d acks, longest wait for an acknowledgement %6d ms %s, %3d "
            + "refused  (%s)%n", f.name(), f.durationMs(), f.acks(), f.longestWaitMs(), f.longestByKind(), f.refusals(),
            f.what()));
      }
      out.append(String.format("outside faults: longest wait for an acknowledgement %d ms%n",
          longestWaitOutsideFaultsMs));
      out.append("answers other than acknowledgements (retried or given up): ").append(otherAnswers).append('\n');
      problems.forEach(p -> out.append("PROBLEM ").append(p).append('\n'));
      out.append(passed() ? "verdict: PASS" : "verdict: FAIL").append('\n');
      return out.toString();
    }
  }

  static Report check(List<JsonObject> log, StoreSnapshot stored) {
    List<String> problems = new ArrayList<>();
    List<JsonObject> acks = new ArrayList<>();
    List<JsonObject> faultLines = new ArrayList<>();
    List<Long> refusedAt = new ArrayList<>();
    Map<String, List<Long>> seen = new LinkedHashMap<>();
    Map<String, String> clientChannel = new LinkedHashMap<>();
    long recordsAcked = 0;
    long lost = 0;
    long moved = 0;
    long tasksAcked = 0;
    long tasksLost = 0;
    long undelivered = 0;
    long blobsAcked = 0;
    long blobsLost = 0;
    long belowCopies = 0;
    long internalErrors = 0;
    Map<String, Long> answers = new java.util.TreeMap<>();
    for (JsonObject line : log) {
      switch (line.getString("k")) {
        case AckLog.RECORD -> {
          acks.add(line);
          recordsAcked++;
          String id = line.getString("id");
          StoreSnapshot.Row row = stored.records().get(id);
          if (row == null || !row.channel().equals(line.getString("channel"))) {
            lost++;
            example(problems, lost, "record lost: " + id + " acknowledged on " + line.getString("channel")
                + " at cursor " + line.getLong("cursor") + " (marker " + line.getString("marker") + ")");
          } else if (row.cursor() != line.getLong("cursor")) {
            moved++;
            example(problems, moved, "record cursor changed: " + id + " acknowledged at " + line.getLong("cursor")
                + ", stored at " + row.cursor());
          }
        }
        case AckLog.TASK -> {
          acks.add(line);
          tasksAcked++;
          String state = stored.taskStates().get(line.getString("task"));
          if (state == null) {
            tasksLost++;
            example(problems, tasksLost, "task lost: " + line.getString("task"));
          } else if (!DELIVERED.contains(state)) {
            undelivered++;
            example(problems, undelivered, "task undelivered: " + line.getString("task") + " is " + state);
          }
        }
        case AckLog.BLOB -> {
          acks.add(line);
          blobsAcked++;
          StoreSnapshot.Blob blob = stored.blobs().get(line.getString("blob"));
          if (blob == null || !blob.found() || !line.getString("sha256").equals(blob.sha256())) {
            blobsLost++;
            example(problems, blobsLost, "blob lost or changed: " + line.getString("blob") + " " + blob);
          } else if (blob.readable() < blob.wanted()) {
            belowCopies++;
            example(problems, belowCopies, "blob below its copy count: " + line.getString("blob") + " has "
                + blob.readable() + " of " + blob.wanted());
          }
        }
        case AckLog.SSE -> {
          String client = line.getString("client");
          clientChannel.putIfAbsent(client, line.getString("channel"));
          seen.computeIfAbsent(client, c -> new ArrayList<>()).add(line.getLong("id"));
        }
        case AckLog.FAULT -> faultLines.add(line);
        case AckLog.REFUSED -> {
          String answer = line.getString("kind") + " " + line.getString("error");
          answers.merge(answer, 1L, Long::sum);
          refusedAt.add(line.getLong("at"));
          int status = line.getInteger("status");
          // X7: a failure is a 4xx or a clean 503 (outcome_unknown included), never another 5xx.
          if (status >= 500 && status != 503) {
            internalErrors++;
            example(problems, internalErrors, "answered " + answer + " at " + line.getLong("at"));
          }
        }
        default -> problems.add("unknown log line: " + line.encode());
      }
    }
    long duplicated = extra(stored.recordMarkers(), problems, "record");
    long tasksDuplicated = extra(stored.taskMarkers(), problems, "task");
    List<SseResult> sse = new ArrayList<>();
    seen.forEach((client, ids) -> {
      String channel = clientChannel.get(client);
      SseResult r = sseResult(client, channel, ids, stored.lastCursors().getOrDefault(channel, 0L));
      sse.add(r);
      if (r.gaps() > 0 || r.repeats() > 0) {
        problems.add("sse " + client + " on " + channel + ": " + r.gaps() + " ids missing, " + r.repeats()
            + " seen again (" + firstGap(ids) + ")");
      }
    });
    if (recordsAcked == 0) {
      problems.add("no record was acknowledged: nothing was checked");
    }
    List<FaultLatency> faults = new ArrayList<>();
    for (JsonObject f : faultLines) {
      long from = f.getLong("from");
      long to = f.getLong("to");
      List<JsonObject> during = acks.stream().filter(a -> a.getLong("sent") <= to && a.getLong("acked") >= from).toList();
      faults.add(new FaultLatency(f.getString("name"), f.getString("what"), to - from, during.size(),
          during.stream().mapToLong(FaultChecker::waitMs).max().orElse(0),
          refusedAt.stream().filter(at -> at >= from && at <= to).count(), longestByKind(during)));
    }
    long outside = acks.stream().filter(a -> faultLines.stream()
            .noneMatch(f -> a.getLong("sent") <= f.getLong("to") && a.getLong("acked") >= f.getLong("from")))
        .mapToLong(FaultChecker::waitMs).max().orElse(0);
    return new Report(recordsAcked, lost, duplicated, moved, tasksAcked, tasksLost, tasksDuplicated, undelivered,
        blobsAcked, blobsLost, belowCopies, sse, faults, outside, answers, problems);
  }

  /** The longest wait of each kind of acknowledgement (record, task, blob). */
  private static Map<String, Long> longestByKind(List<JsonObject> acks) {
    Map<String, Long> out = new java.util.TreeMap<>();
    acks.forEach(a -> out.merge(a.getString("k"), waitMs(a), Math::max));
    return out;
  }

  private static long waitMs(JsonObject ack) {
    return ack.getLong("acked") - ack.getLong("sent");
  }

  /**
   * A client that started at cursor 0 must see exactly 1..last: every id one more than the one
   * before. A jump counts the ids skipped, an id not above the last one counts as seen again, and
   * the ids after the last seen up to the channel's newest are missing too.
   */
  static SseResult sseResult(String client, String channel, List<Long> ids, long lastCursor) {
    long prev = 0;
    long gaps = 0;
    long repeats = 0;
    for (long id : ids) {
      if (id <= prev) {
        repeats++;
        continue;
      }
      gaps += id - prev - 1;
      prev = id;
    }
    gaps += Math.max(0, lastCursor - prev);
    return new SseResult(client, channel, ids.size(), gaps, repeats);
  }

  private static String firstGap(List<Long> ids) {
    long prev = 0;
    for (long id : ids) {
      if (id != prev + 1) {
        return "first irregular step " + prev + " -> " + id;
      }
      prev = id;
    }
    return "last id seen " + prev;
  }

  private static long extra(Map<String, Integer> markers, List<String> problems, String what) {
    long extra = 0;
    for (Map.Entry<String, Integer> e : markers.entrySet()) {
      if (e.getValue() > 1) {
        extra += e.getValue() - 1;
        example(problems, extra, what + " stored " + e.getValue() + " times: marker " + e.getKey());
      }
    }
    return extra;
  }

  /** Keeps the first few examples of each kind of problem (the counts say how many there are). */
  private static void example(List<String> problems, long nth, String problem) {
    if (nth <= EXAMPLES) {
      problems.add(problem);
    }
  }
}
