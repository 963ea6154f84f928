package tributary.bus;

import java.util.List;

/** Core's answer to a {@link CoreBatch}: one outcome per group, in order. */
public record CoreReceipt(List<Outcome> outcomes) {
  public CoreReceipt {
    outcomes = List.copyOf(outcomes);
  }

  /** Either the group's receipt, or the HTTP-like status and reason it was refused (nothing of it stored). */
  public record Outcome(CommitReceipt receipt, int status, String error) {
    public static Outcome committed(CommitReceipt receipt) {
      return new Outcome(receipt, 0, null);
    }

    public static Outcome refused(int status, String error) {
      return new Outcome(null, status, error);
    }
  }
}
