package tributary.storage.tasks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A TrueType sans-serif font on this machine, for text drawn into PDFs (embedded, so any script
 * the font covers shows) and video frames (ffmpeg's drawtext needs a font file): DejaVu Sans or
 * Liberation Sans where Debian puts them, else what fontconfig's {@code fc-match} names.
 */
public final class FontFile {
  private static final List<Path> KNOWN = List.of(
      Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
      Path.of("/usr/share/fonts/TTF/DejaVuSans.ttf"),
      Path.of("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
      Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"));
  private static final Duration FC_MATCH_LIMIT = Duration.ofSeconds(10);

  private static volatile Optional<Path> found;

  private FontFile() {}

  /** The font, looked up once per process. Blocking the first time. */
  public static Optional<Path> sans() {
    Optional<Path> font = found;
    if (font == null) {
      font = lookUp();
      found = font;
    }
    return font;
  }

  private static Optional<Path> lookUp() {
    Optional<Path> known = KNOWN.stream().filter(Files::isReadable).findFirst();
    if (known.isPresent()) {
      return known;
    }
    Optional<Path> fcMatch = Executables.onPath("fc-match");
    if (fcMatch.isEmpty()) {
      return Optional.empty();
    }
    try {
      ToolProcess.Exit exit = ToolProcess.run(List.of(fcMatch.get().toString(), "--format=%{file}",
          "sans-serif:fontformat=TrueType"), FC_MATCH_LIMIT);
      Path file = Path.of(exit.stdout().strip());
      return exit.succeeded() && file.toString().endsWith(".ttf") && Files.isReadable(file) ? Optional.of(file)
          : Optional.empty();
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
