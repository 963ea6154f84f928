package tributary.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded servers a killed JVM left running on its data folder (kill -9, a crash, Ctrl-C at the
 * wrong moment): PostgreSQL and Redis outlive the JVM that started them, keep the folder locked
 * and its data unreachable. Each is found by the pid file it writes into the data folder, checked
 * to be that server (so a reused pid is never signalled), and stopped before the node starts its own.
 */
final class Orphans {
  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);

  private Orphans() {}

  /** The pid on the first line of a pid file, when there is one. */
  static OptionalLong pidIn(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Stops the process named by {@code pidFile} if it is alive and {@code isOurs} accepts its
   * command line: first with {@code gentle} (a signal the server answers with a clean shutdown),
   * then, if it outlives {@code grace}, with {@code firm}. A pid file whose process is gone or is
   * someone else's is left for the server itself, which ignores stale ones.
   */
  static void stop(Path pidFile, Predicate<String> isOurs, String gentle, String firm, Duration grace) throws IOException {
    OptionalLong pid = pidIn(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(isOurs::test).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    LOG.warn("an embedded server of an earlier run is still running; stopping it [pid: {}, pid file: {}]",
        pid.getAsLong(), pidFile);
    if (!signalAndWait(process.get(), gentle, grace) && !signalAndWait(process.get(), firm, grace)) {
      throw new IOException("an embedded server of an earlier run (pid " + pid.getAsLong()
          + ") does not stop; stop it by hand, it holds " + pidFile.getParent());
    }
  }

  private static boolean signalAndWait(ProcessHandle process, String signal, Duration grace) throws IOException {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping an orphaned embedded server", e);
    }
  }
}
