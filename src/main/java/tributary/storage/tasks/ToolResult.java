package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How a task that runs an external program ended (transcoding, video watermarks, office conversion). */
public sealed interface ToolResult {
  record Done(Path output) implements ToolResult {}

  /** The node cannot do this (the program is not installed, the file is of a kind it does not take). */
  record Unsupported(String reason) implements ToolResult {}

  record Failed(String tool, int exitCode, String stderrTail) implements ToolResult {}

  record TimedOut(String tool, Duration limit, String stderrTail) implements ToolResult {}

  /** The result of a run that writes {@code out}; a failed run leaves no half-written output behind. */
  static ToolResult of(String tool, ToolProcess.Exit exit, Path out, Duration limit) throws IOException {
    if (exit.succeeded()) {
      return new Done(out);
    }
    Files.deleteIfExists(out);
    return exit.timedOut() ? new TimedOut(tool, limit, exit.stderrTail())
        : new Failed(tool, exit.code(), exit.stderrTail());
  }
}
