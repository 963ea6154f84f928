package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Office documents to PDF through LibreOffice in headless mode, where it is installed. Each run
 * works in a temp folder of its own, with a LibreOffice profile of its own there (two runs would
 * otherwise share the user's profile, and the second would hand its file to the first and exit),
 * and is killed with its children past its time limit; the folder is removed afterwards.
 */
public final class OfficeConverter {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  static final String NOT_INSTALLED = "LibreOffice (soffice) is not installed on this node";
  static final String TOOL = "LibreOffice";

  private OfficeConverter() {}

  /** LibreOffice's {@code soffice} (or {@code libreoffice}) on this process's PATH. */
  public static Optional<Path> soffice() {
    return Executables.onPath("soffice").or(() -> Executables.onPath("libreoffice"));
  }

  /** Converts {@code in}, an office document of {@code type}, to the PDF {@code out}. Blocking. */
  public static ToolResult toPdf(Optional<Path> soffice, Path in, DocumentType type, Path out, Duration timeout)
      throws IOException, InterruptedException {
    if (type.kind() != DocumentType.Kind.OFFICE) {
      return new ToolResult.Unsupported("only office documents convert to PDF");
    }
    if (soffice.isEmpty()) {
      return new ToolResult.Unsupported(NOT_INSTALLED);
    }
    Path work = Files.createTempDirectory("office-");
    try {
      // LibreOffice names its output after its input and picks its import filter by extension too
      Path source = Files.copy(in, work.resolve("document." + type.extension()));
      Path outDir = Files.createDirectory(work.resolve("out"));
      List<String> command = List.of(soffice.get().toString(), "-env:UserInstallation=" + work.resolve("profile")
              .toUri(), "--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir",
          outDir.toString(), source.toString());
      ToolProcess.Exit exit = ToolProcess.run(command, timeout);
      Path pdf = outDir.resolve("document.pdf");
      if (exit.succeeded() && !Files.isRegularFile(pdf)) {
        // it answers 0 when it could not read the document, and says so only on its output
        return new ToolResult.Failed(TOOL, exit.code(), ("wrote no PDF. " + exit.stdout() + exit.stderrTail()).strip());
      }
      if (exit.succeeded()) {
        Files.move(pdf, out, StandardCopyOption.REPLACE_EXISTING);
      }
      return ToolResult.of(TOOL, exit, out, timeout);
    } finally {
      removeAll(work);
    }
  }

  private static void removeAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
