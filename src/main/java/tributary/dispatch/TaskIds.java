package tributary.dispatch;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Dispatch task ids (D3): {@code {workerNumber}_{epochMillis}_{6 random digits}}. One generator
 * per worker never hands out the same id twice: digits drawn twice in one millisecond are drawn
 * again (the worker number keeps workers apart, and the store's key catches a worker restarted
 * within the same millisecond).
 */
public final class TaskIds {
  private static final Pattern FORM = Pattern.compile("\\d{1,9}_\\d{1,15}_\\d{6}");
  private static final int DIGITS = 1_000_000;

  private final int workerNumber;
  private final int space;
  private long millis = -1;
  private final BitSet used;
  private int usedCount;

  public TaskIds(int workerNumber) {
    this(workerNumber, DIGITS);
  }

  /** With fewer digit values than six digits hold, so a test can fill a millisecond. */
  TaskIds(int workerNumber, int space) {
    this.workerNumber = workerNumber;
    this.space = space;
    this.used = new BitSet(space);
  }

  /** A new id at {@code epochMillis}, or at a later millisecond once all of its digits are used. */
  public synchronized String next(long epochMillis) {
    if (epochMillis > millis) {
      millis = epochMillis;
      used.clear();
      usedCount = 0;
    }
    if (usedCount == space) {
      return next(millis + 1);
    }
    int digits;
    do {
      digits = ThreadLocalRandom.current().nextInt(space);
    } while (used.get(digits));
    used.set(digits);
    usedCount++;
    return workerNumber + "_" + millis + "_" + String.format("%06d", digits);
  }

  public static boolean valid(String id) {
    return id != null && FORM.matcher(id).matches();
  }
}
