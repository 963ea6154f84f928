package tributary.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tributary.fault.Refusal;

/**
 * What a node's marked plan file does to its items (S7). The whole file is judged first: an item
 * the server does not know, one planned for another node, or one filed under another plan refuses
 * the file (400, nothing applied). Then each mark: an item already finished keeps its end (so a
 * file sent again changes nothing); "started" records when it began; "done", "failed" and
 * "unsupported" end it with the node's message, output and times; an item left "planned" whose
 * window has closed fails {@value #WINDOW_CLOSED}.
 */
public final class PlanMarks {
  public static final String WINDOW_CLOSED = "window closed";

  private PlanMarks() {}

  /** An item as stored: its plan, its node, its state and its plan's window end (null: open). */
  public record Stored(long itemId, String planId, String runOn, String state, Long notAfter) {
    boolean finished() {
      return !TaskStore.PLANNED.equals(state) && !TaskStore.STARTED.equals(state);
    }
  }

  /** What to write to one item. */
  public record Change(long itemId, String state, String error, String output, Long startedAt, Long finishedAt) {}

  /** The changes the file makes, or a 400 {@link PlanFile#INVALID} refusal naming what it may not mark. */
  public static List<Change> of(String node, PlanFile file, Map<Long, Stored> stored, long now) {
    if (!node.equals(file.node())) {
      throw new Refusal(400, PlanFile.INVALID, "the plan file names node '" + file.node() + "', not '" + node + "'");
    }
    List<Change> out = new ArrayList<>();
    for (PlanFile.Plan plan : file.plans()) {
      for (PlanFile.Item mark : plan.items()) {
        Stored item = stored.get(mark.id());
        if (item == null) {
          throw new Refusal(400, PlanFile.INVALID, "item " + mark.id() + " is not a planned task item");
        }
        if (!node.equals(item.runOn())) {
          throw new Refusal(400, PlanFile.INVALID, "item " + mark.id() + " is planned for node '" + item.runOn()
              + "', not '" + node + "'");
        }
        if (!item.planId().equals(plan.id())) {
          throw new Refusal(400, PlanFile.INVALID, "item " + mark.id() + " belongs to plan '" + item.planId()
              + "', not '" + plan.id() + "'");
        }
        Change change = change(item, mark, now);
        if (change != null) {
          out.add(change);
        }
      }
    }
    return out;
  }

  /** What one mark does to its item; null for nothing. */
  static Change change(Stored item, PlanFile.Item mark, long now) {
    if (item.finished()) {
      return null;
    }
    return switch (mark.state()) {
      case TaskStore.PLANNED -> item.notAfter() != null && now >= item.notAfter()
          ? new Change(item.itemId(), TaskStore.FAILED, WINDOW_CLOSED, null, null, now) : null;
      case TaskStore.STARTED -> new Change(item.itemId(), TaskStore.STARTED, null, null,
          mark.startedAt() == null ? now : mark.startedAt(), null);
      default -> new Change(item.itemId(), mark.state(), mark.message(), mark.output(), mark.startedAt(),
          mark.finishedAt() == null ? now : mark.finishedAt());
    };
  }
}
