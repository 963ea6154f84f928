package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

class DocumentTypeTest {
  @TempDir Path dir;

  private Path zip(String name, Map<String, String> entries) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  private DocumentType of(String name, byte[] bytes) throws IOException {
    return DocumentType.of(Files.write(dir.resolve(name), bytes));
  }

  @Test
  void documentsAreKnownByTheirBytesNotTheirNames() throws IOException {
    assertEquals(DocumentType.PDF, of("report.txt", TestFiles.pdf(List.of("a page"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "docx"),
        DocumentType.of(zip("a.bin", Map.of("[Content_Types].xml", "<Types/>", "word/document.xml", "<w/>"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "xlsx"),
        DocumentType.of(zip("b.bin", Map.of("xl/workbook.xml", "<w/>"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "pptx"),
        DocumentType.of(zip("c.bin", Map.of("ppt/presentation.xml", "<p/>"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "odt"),
        DocumentType.of(zip("d.bin", Map.of("mimetype", "application/vnd.oasis.opendocument.text"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "ods"),
        DocumentType.of(zip("e.bin", Map.of("mimetype", "application/vnd.oasis.opendocument.spreadsheet"))));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "doc"), of("f.bin", new byte[] {(byte) 0xD0, (byte) 0xCF,
        0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0, 0}));
    assertEquals(new DocumentType(DocumentType.Kind.OFFICE, "rtf"), of("g.doc", "{\\rtf1 hello}".getBytes()));
  }

  @Test
  void anythingElseIsOther() throws IOException {
    assertEquals(DocumentType.OTHER, of("notes.pdf", "just some notes".getBytes()));
    assertEquals(DocumentType.OTHER, of("empty.docx", new byte[0]));
    assertEquals(DocumentType.OTHER, DocumentType.of(zip("photos.zip", Map.of("a.jpg", "jpeg"))));
    assertEquals(DocumentType.OTHER, of("broken.docx", "PK\u0003\u0004 not really a zip".getBytes()));
    assertEquals(DocumentType.OTHER,
        DocumentType.of(zip("epub.zip", Map.of("mimetype", "application/epub+zip"))));
  }
}
