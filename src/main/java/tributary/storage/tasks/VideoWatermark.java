package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A visible watermark on every frame of a video, through ffmpeg's drawtext filter where ffmpeg is
 * installed: the stamp line (text and time) in the bottom-right corner, white and translucent with
 * a dark border, sized to the frame. The result is an MP4 (H.264 where ffmpeg has it, AAC sound).
 * The text reaches ffmpeg escaped for the filter graph and with expansion off, so no character of
 * it can become a filter option or a {@code %{...}} expansion. Blocking.
 */
public final class VideoWatermark {
  private VideoWatermark() {}

  public static ToolResult apply(Optional<Path> ffmpeg, Optional<Path> font, Path in, Path out, String line,
      Duration timeout) throws IOException, InterruptedException {
    if (ffmpeg.isEmpty()) {
      return new ToolResult.Unsupported(Transcoder.NOT_INSTALLED);
    }
    if (font.isEmpty()) {
      return new ToolResult.Unsupported("no TrueType font on this node for ffmpeg's drawtext (install fonts-dejavu-core)");
    }
    List<String> command = new ArrayList<>(Transcoder.command(ffmpeg.get(), in));
    command.addAll(List.of("-vf", filter(font.get(), line), "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mp4",
        out.toAbsolutePath().toString()));
    return ToolResult.of(Transcoder.TOOL, ToolProcess.run(command, timeout), out, timeout);
  }

  /** The drawtext filter that draws {@code line} with {@code font}. */
  static String filter(Path font, String line) {
    int length = Math.max(1, line.codePointCount(0, line.length()));
    // a glyph is about 0.6 of the font size wide: the line takes at most 90% of the frame's width
    return "drawtext=fontfile=" + escape(font.toAbsolutePath().toString())
        + ":text=" + escape(line)
        + ":expansion=none"
        + ":fontsize=" + escape("max(8,min(h/14,1.5*w/" + length + "))")
        + ":fontcolor=white@0.75:borderw=2:bordercolor=black@0.6"
        + ":x=" + escape("w-tw-h/30") + ":y=" + escape("h-th-h/30");
  }

  /**
   * A value escaped twice, as ffmpeg parses it twice: as a filter option ({@code \ ' :} are
   * special there), then as part of the filter graph ({@code \ ' [ ] , ;}).
   */
  static String escape(String value) {
    return backslashed(backslashed(value, "\\':"), "\\'[],;");
  }

  private static String backslashed(String value, String special) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      if (special.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
