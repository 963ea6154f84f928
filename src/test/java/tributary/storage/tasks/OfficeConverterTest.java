package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S6: office documents to PDF through LibreOffice. Of the two tests on this machine's own
 * LibreOffice exactly one runs: the unsupported answer where it is absent, a real conversion where
 * it is installed. Fake {@code soffice} scripts check the command, the output and the time limit.
 */
class OfficeConverterTest {
  private static final Duration LIMIT = Duration.ofMinutes(2);
  private static final DocumentType DOCX = new DocumentType(DocumentType.Kind.OFFICE, "docx");

  /** Writes a PDF-ish file named after its input into --outdir, as soffice does. */
  private static final String CONVERTING_SOFFICE =
      """
      #!/bin/sh
      echo "$@" > "$(dirname "$0")/args"
      while [ $# -gt 1 ]; do
        if [ "$1" = "--outdir" ]; then outdir="$2"; fi
        shift
      done
      name=$(basename "$1"); echo "%PDF-1.4 from $name" > "$outdir/${name%.*}.pdf"
      """;

  private static final String SILENT_SOFFICE =
      """
      #!/bin/sh
      echo "Error: source file could not be loaded"
      """;

  /** A LibreOffice that forks a child (as soffice forks soffice.bin) and hangs. */
  private static final String HANGING_SOFFICE =
      """
      #!/bin/sh
      sleep 120 &
      echo $! > "$(dirname "$0")/child"
      wait
      """;

  @TempDir Path dir;

  /** A minimal Word document: the three parts a .docx needs. */
  private Path docx(String text) throws IOException {
    Path file = dir.resolve("letter.bin");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas."
          + "openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/"
          + "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
          + "wordprocessingml.document.main+xml\"/></Types>");
      entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas."
          + "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
          + "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
          + "</Relationships>");
      entry(zip, "word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://"
          + "schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>" + text
          + "</w:t></w:r></w:p></w:body></w:document>");
    }
    return file;
  }

  private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  @Test
  void withoutLibreOfficeHereTheConversionIsUnsupported() throws Exception {
    assumeTrue(OfficeConverter.soffice().isEmpty(), "LibreOffice is installed here: the conversion test runs instead");
    Path out = dir.resolve("out.pdf");

    ToolResult result = OfficeConverter.toPdf(OfficeConverter.soffice(), docx("hello"), DOCX, out, LIMIT);

    assertEquals(new ToolResult.Unsupported("LibreOffice (soffice) is not installed on this node"), result);
    assertFalse(Files.exists(out));
  }

  @Test
  void withLibreOfficeHereAWordDocumentBecomesAPdfWithItsText() throws Exception {
    assumeFalse(OfficeConverter.soffice().isEmpty(), "LibreOffice is not installed here: the unsupported test runs");
    Path in = docx("The mill may take water from the river on Sundays");
    assertEquals(DOCX, DocumentType.of(in));
    Path out = dir.resolve("out.pdf");

    assertEquals(new ToolResult.Done(out), OfficeConverter.toPdf(OfficeConverter.soffice(), in, DOCX, out, LIMIT));

    try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
      assertTrue(new PDFTextStripper().getText(pdf).contains("The mill may take water from the river on Sundays"));
    }
  }

  @Test
  void theConversionRunsHeadlessInAFolderOfItsOwnAndKeepsThePdf() throws Exception {
    Path soffice = fake("ok", CONVERTING_SOFFICE);
    Path out = dir.resolve("out.pdf");

    assertEquals(new ToolResult.Done(out), OfficeConverter.toPdf(Optional.of(soffice), docx("x"), DOCX, out, LIMIT));

    assertEquals("%PDF-1.4 from document.docx\n", Files.readString(out));
    String args = Files.readString(soffice.resolveSibling("args"));
    assertTrue(args.matches("-env:UserInstallation=file:///\\S+/profile --headless --norestore --nolockcheck "
        + "--convert-to pdf --outdir /\\S+/out /\\S+/document.docx\n"), args);
    String work = args.substring(args.indexOf("--outdir ") + 9, args.indexOf("/out "));
    assertFalse(Files.exists(Path.of(work)), "the work folder is removed");
  }

  @Test
  void aRunThatWritesNoPdfFailsWithWhatLibreOfficeSaid() throws Exception {
    Path out = dir.resolve("out.pdf");

    ToolResult result = OfficeConverter.toPdf(Optional.of(fake("silent", SILENT_SOFFICE)), docx("x"), DOCX, out, LIMIT);

    ToolResult.Failed failed = assertInstanceOf(ToolResult.Failed.class, result);
    assertEquals("LibreOffice", failed.tool());
    assertTrue(failed.stderrTail().contains("source file could not be loaded"), failed.stderrTail());
    assertFalse(Files.exists(out));
  }

  @Test
  void aRunPastItsLimitIsKilledWithTheProcessesItStarted() throws Exception {
    Path soffice = fake("hang", HANGING_SOFFICE);
    Path out = dir.resolve("out.pdf");

    ToolResult result = OfficeConverter.toPdf(Optional.of(soffice), docx("x"), DOCX, out, Duration.ofSeconds(2));

    assertEquals(Duration.ofSeconds(2), assertInstanceOf(ToolResult.TimedOut.class, result).limit());
    long child = Long.parseLong(Files.readString(soffice.resolveSibling("child")).strip());
    tributary.support.Http.awaitCondition(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true), 10_000,
        "the child killed too");
    assertFalse(Files.exists(out));
  }

  @Test
  void onlyOfficeDocumentsConvert() throws Exception {
    ToolResult result = OfficeConverter.toPdf(Optional.of(fake("ok", CONVERTING_SOFFICE)), docx("x"),
        DocumentType.OTHER, dir.resolve("out.pdf"), LIMIT);
    assertEquals(new ToolResult.Unsupported("only office documents convert to PDF"), result);
  }

  private Path fake(String name, String script) throws IOException {
    Path bin = Files.createDirectory(dir.resolve(name));
    Path soffice = Files.writeString(bin.resolve("soffice"), script);
    Files.setPosixFilePermissions(soffice, PosixFilePermissions.fromString("rwxr-xr-x"));
    return soffice;
  }
}
