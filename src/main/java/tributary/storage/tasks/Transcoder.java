package tributary.storage.tasks;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Transcoding through the node's {@code ffmpeg}, when it has one. The target format is chosen
 * from a fixed list and mapped to fixed ffmpeg arguments, and ffmpeg is started directly, never
 * through a shell, so no user text can become a command.
 */
public final class Transcoder {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  static final String NOT_INSTALLED = "ffmpeg is not installed on this node";
  private static final int STDERR_TAIL_LINES = 20;
  private static final int STDERR_TAIL_BYTES = 8 * 1024;

  /**
   * Muxer and codec per target, given explicitly because ffmpeg would otherwise guess them from
   * the output's file extension, which a blob store's temp files do not have.
   */
  private static final Map<String, List<String>> OUTPUT_ARGS =
      Map.of(
          "mp4", List.of("-f", "mp4"),
          "webm", List.of("-f", "webm"),
          "mp3", List.of("-f", "mp3"),
          "ogg", List.of("-f", "ogg"),
          "wav", List.of("-f", "wav"),
          "png", List.of("-f", "image2", "-c:v", "png", "-frames:v", "1"),
          "jpg", List.of("-f", "image2", "-c:v", "mjpeg", "-frames:v", "1"));

  private Transcoder() {}

  public sealed interface Result {
    record Done(Path output) implements Result {}

    record Unsupported(String reason) implements Result {}

    record Failed(int exitCode, String stderrTail) implements Result {}

    record TimedOut(Duration limit, String stderrTail) implements Result {}
  }

  /** The first executable {@code ffmpeg} on this process's PATH. */
  public static Optional<Path> ffmpeg() {
    return ffmpeg(System.getenv("PATH"));
  }

  static Optional<Path> ffmpeg(String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    return Arrays.stream(searchPath.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(Transcoder::candidate)
        .flatMap(Optional::stream)
        .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
        .findFirst();
  }

  private static Optional<Path> candidate(String dir) {
    try {
      return Optional.of(Path.of(dir, "ffmpeg"));
    } catch (InvalidPathException e) {
      return Optional.empty(); // a malformed PATH entry just holds no ffmpeg
    }
  }

  public static Result transcode(Path in, Path out, String targetFormat)
      throws IOException, InterruptedException {
    return transcode(in, out, targetFormat, DEFAULT_TIMEOUT);
  }

  public static Result transcode(Path in, Path out, String targetFormat, Duration timeout)
      throws IOException, InterruptedException {
    return transcode(ffmpeg(), in, out, targetFormat, timeout);
  }

  static Result transcode(
      Optional<Path> ffmpeg, Path in, Path out, String targetFormat, Duration timeout)
      throws IOException, InterruptedException {
    List<String> outputArgs = outputArgs(targetFormat);
    if (ffmpeg.isEmpty()) {
      return new Result.Unsupported(NOT_INSTALLED);
    }
    List<String> command = new ArrayList<>();
    command.add(ffmpeg.get().toString());
    // -nostdin: ffmpeg otherwise polls stdin for keystrokes, which a worker never sends.
    command.addAll(List.of("-nostdin", "-hide_banner", "-y", "-i"));
    // Absolute paths start with '/', so ffmpeg cannot read a file name as an option.
    command.add(in.toAbsolutePath().toString());
    command.addAll(outputArgs);
    command.add(out.toAbsolutePath().toString());

    Path stderr = Files.createTempFile("ffmpeg-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(stderr.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        Files.deleteIfExists(out);
        return new Result.TimedOut(timeout, tail(stderr));
      }
      if (process.exitValue() != 0) {
        Files.deleteIfExists(out); // a failed run must not leave a half-written output behind
        return new Result.Failed(process.exitValue(), tail(stderr));
      }
      return new Result.Done(out);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private static List<String> outputArgs(String targetFormat) {
    List<String> args =
        targetFormat == null ? null : OUTPUT_ARGS.get(targetFormat.toLowerCase(Locale.ROOT));
    if (args == null) {
      throw new IllegalArgumentException(
          "cannot transcode to " + targetFormat + "; allowed: "
              + new TreeSet<>(OUTPUT_ARGS.keySet()));
    }
    return args;
  }

  /** The last lines of ffmpeg's log: its error is at the end, after pages of stream details. */
  private static String tail(Path log) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - STDERR_TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).strip().lines().toList();
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
    }
  }
}
