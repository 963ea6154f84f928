package tributary.command;

import java.util.Locale;

/**
 * Where a node command is (D9): queued until the node claims it, which moves it to running once
 * (a conditional update, so two fetches that race cannot both run it), then done or failed.
 */
public enum CommandState {
  QUEUED, RUNNING, DONE, FAILED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandState parse(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }

  /** Whether a command may move from this state to {@code next}: queued to running, running to done or failed. */
  public boolean mayBecome(CommandState next) {
    return switch (this) {
      case QUEUED -> next == RUNNING;
      case RUNNING -> next == DONE || next == FAILED;
      case DONE, FAILED -> false;
    };
  }
}
