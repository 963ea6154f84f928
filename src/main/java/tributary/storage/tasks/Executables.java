package tributary.storage.tasks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The external programs the tasks run (ffmpeg, ffprobe, LibreOffice), looked up on the PATH. */
public final class Executables {
  private Executables() {}

  /** The first executable file called {@code name} on this process's PATH. */
  public static Optional<Path> onPath(String name) {
    return onPath(name, System.getenv("PATH"));
  }

  static Optional<Path> onPath(String name, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    return Arrays.stream(searchPath.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> candidate(dir, name))
        .flatMap(Optional::stream)
        .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
        .findFirst();
  }

  private static Optional<Path> candidate(String dir, String name) {
    try {
      return Optional.of(Path.of(dir, name));
    } catch (InvalidPathException e) {
      return Optional.empty(); // a malformed PATH entry just holds no program
    }
  }
}
