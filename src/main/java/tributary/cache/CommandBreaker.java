package tributary.cache;

/**
 * Stops asking a service that has just let a command time out. After a timeout every command is
 * refused at once for a cool-down; then one command goes through as a probe while the others are
 * still refused, and an answer of any kind (even an error reply) lets all through again. A frozen
 * Redis so costs one timeout per cool-down instead of one per command.
 */
public final class CommandBreaker {
  private final long coolDownMs;
  private long openUntil;
  private boolean probing;

  public CommandBreaker(long coolDownMs) {
    this.coolDownMs = coolDownMs;
  }

  /** True when a command may be sent now; false when it must fail at once. */
  public synchronized boolean allows(long now) {
    if (openUntil == 0) {
      return true;
    }
    if (now < openUntil || probing) {
      return false;
    }
    probing = true;
    return true;
  }

  /** A command timed out: refuse commands until {@code now} plus the cool-down. */
  public synchronized void timedOut(long now) {
    openUntil = now + coolDownMs;
    probing = false;
  }

  /** The service answered a command. */
  public synchronized void answered() {
    openUntil = 0;
    probing = false;
  }
}
