package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A video's or audio file's duration through {@code ffprobe}, for the work term of the load score
 * (S2: time(v), time(a)). ffprobe reads the container's header, not the whole file. Blocking.
 */
public final class MediaProbe {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private MediaProbe() {}

  /** The first executable {@code ffprobe} on this process's PATH. */
  public static Optional<Path> ffprobe() {
    return Executables.onPath("ffprobe");
  }

  /** The duration in seconds; empty when ffprobe cannot tell (not media, no duration, it failed). */
  public static OptionalDouble seconds(Path ffprobe, Path file, Duration timeout)
      throws IOException, InterruptedException {
    ToolProcess.Exit exit = ToolProcess.run(List.of(ffprobe.toString(), "-v", "error", "-show_entries",
        "format=duration", "-of", "csv=p=0", file.toAbsolutePath().toString()), timeout);
    return exit.succeeded() ? parseSeconds(exit.stdout()) : OptionalDouble.empty();
  }

  /** ffprobe's answer: seconds as a decimal, or "N/A"; anything else, negative or not finite is no answer. */
  static OptionalDouble parseSeconds(String answer) {
    String first = answer == null ? "" : answer.strip().lines().findFirst().orElse("").strip();
    if (!first.matches("\\d{1,12}(\\.\\d{1,12})?")) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.parseDouble(first));
  }
}
