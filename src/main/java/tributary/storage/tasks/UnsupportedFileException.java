package tributary.storage.tasks;

/** A file this task cannot work on here, for a reason the task item reports as "unsupported". */
public final class UnsupportedFileException extends Exception {
  public UnsupportedFileException(String reason) {
    super(reason);
  }
}
