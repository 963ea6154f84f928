package tributary.processing;

/** An input a processor refuses; the whole request it came in is answered 400 with this reason. */
public final class RecordRejected extends RuntimeException {
  public RecordRejected(String message) {
    super(message, null, false, false);
  }
}
