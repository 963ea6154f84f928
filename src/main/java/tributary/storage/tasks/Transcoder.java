package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Transcoding through the node's {@code ffmpeg}, when it has one. The target format is chosen
 * from a fixed list and mapped to fixed ffmpeg arguments, and ffmpeg is started directly, never
 * through a shell, so no user text can become a command.
 */
public final class Transcoder {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  static final String NOT_INSTALLED = "ffmpeg is not installed on this node";
  static final String TOOL = "ffmpeg";

  /**
   * What each target is made with: muxer and codec, given explicitly because ffmpeg would otherwise
   * guess them from the output's file extension, which a blob store's temp files do not have; and
   * the blob type and content type of what it makes.
   */
  public record Target(List<String> args, String kind, String contentType) {}

  private static final Map<String, Target> TARGETS =
      Map.of(
          "mp4", new Target(List.of("-f", "mp4"), "video", "video/mp4"),
          "webm", new Target(List.of("-f", "webm"), "video", "video/webm"),
          "mp3", new Target(List.of("-f", "mp3"), "audio", "audio/mpeg"),
          "ogg", new Target(List.of("-f", "ogg"), "audio", "audio/ogg"),
          "wav", new Target(List.of("-f", "wav"), "audio", "audio/wav"),
          "png", new Target(List.of("-f", "image2", "-c:v", "png", "-frames:v", "1"), "image", "image/png"),
          "jpg", new Target(List.of("-f", "image2", "-c:v", "mjpeg", "-frames:v", "1"), "image", "image/jpeg"));

  private Transcoder() {}

  /** The formats ffmpeg transcodes to. */
  public static Set<String> formats() {
    return TARGETS.keySet();
  }

  /** The first executable {@code ffmpeg} on this process's PATH. */
  public static Optional<Path> ffmpeg() {
    return Executables.onPath(TOOL);
  }

  public static ToolResult transcode(Path in, Path out, String targetFormat)
      throws IOException, InterruptedException {
    return transcode(ffmpeg(), in, out, targetFormat, DEFAULT_TIMEOUT);
  }

  static ToolResult transcode(
      Optional<Path> ffmpeg, Path in, Path out, String targetFormat, Duration timeout)
      throws IOException, InterruptedException {
    List<String> outputArgs = target(targetFormat).args();
    if (ffmpeg.isEmpty()) {
      return new ToolResult.Unsupported(NOT_INSTALLED);
    }
    List<String> command = new ArrayList<>(command(ffmpeg.get(), in));
    command.addAll(outputArgs);
    command.add(out.toAbsolutePath().toString());
    return ToolResult.of(TOOL, ToolProcess.run(command, timeout), out, timeout);
  }

  /** ffmpeg reading {@code in}, before its output options. */
  static List<String> command(Path ffmpeg, Path in) {
    // -nostdin: ffmpeg otherwise polls stdin for keystrokes, which a worker never sends.
    // Absolute paths start with '/', so ffmpeg cannot read a file name as an option.
    return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-y", "-i", in.toAbsolutePath().toString());
  }

  /** The target of this format name (any case). */
  public static Target target(String targetFormat) {
    Target target = targetFormat == null ? null : TARGETS.get(targetFormat.toLowerCase(Locale.ROOT));
    if (target == null) {
      throw new IllegalArgumentException(
          "cannot transcode to " + targetFormat + "; allowed: " + new TreeSet<>(TARGETS.keySet()));
    }
    return target;
  }
}
