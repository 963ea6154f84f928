package tributary.dispatch;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Dispatch task ids (D3): {@code {workerNumber}_{epochMillis}_{6 random digits}}. */
public final class TaskIds {
  private static final Pattern FORM = Pattern.compile("\\d{1,9}_\\d{1,15}_\\d{6}");

  private TaskIds() {}

  /** A new id; unique with high probability, and made unique by the store, which draws again on a clash. */
  public static String next(int workerNumber, long epochMillis) {
    return workerNumber + "_" + epochMillis + "_" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
  }

  public static boolean valid(String id) {
    return id != null && FORM.matcher(id).matches();
  }
}
