package tributary.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What a command reads and writes and where it looks for settings: the process's own, or a test's. */
public record CliIo(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home) {
  /** This process's streams, environment and home folder. */
  public static CliIo system() {
    return new CliIo(System.in, System.out, System.err, System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
