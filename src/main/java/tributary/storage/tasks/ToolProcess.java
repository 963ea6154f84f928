package tributary.storage.tasks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program directly (never through a shell, so no user text can become a
 * command) with nothing on its stdin, a time limit, and its output kept in temp files: the start
 * of stdout (for the small answers of ffprobe) and the last lines of stderr (where ffmpeg and
 * LibreOffice say what went wrong, after pages of detail). A run past its limit is killed with
 * every process it started (LibreOffice forks {@code soffice.bin}). Blocking: call it on a worker.
 */
public final class ToolProcess {
  private static final int STDERR_TAIL_LINES = 20;
  private static final int STDERR_TAIL_BYTES = 8 * 1024;
  private static final int STDOUT_HEAD_BYTES = 64 * 1024;

  private ToolProcess() {}

  /** How a run ended; {@code code} is -1 when it was killed at its time limit. */
  public record Exit(int code, boolean timedOut, String stdout, String stderrTail) {
    public boolean succeeded() {
      return !timedOut && code == 0;
    }
  }

  public static Exit run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("tool-", ".out");
    Path stderr = Files.createTempFile("tool-", ".log");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      process.getOutputStream().close(); // nothing to read: a program waiting for input ends at once
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        kill(process);
        throw e;
      }
      if (!finished) {
        kill(process);
        return new Exit(-1, true, head(stdout), tail(stderr));
      }
      return new Exit(process.exitValue(), false, head(stdout), tail(stderr));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor();
  }

  private static String head(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.min(in.length(), STDOUT_HEAD_BYTES)];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The last lines of a log: a program's error is at its end. */
  private static String tail(Path log) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - STDERR_TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).strip().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
    }
  }
}
