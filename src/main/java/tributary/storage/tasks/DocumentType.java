package tributary.storage.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What a document is, read from its bytes, never its name: a PDF, an office document LibreOffice
 * converts (with the extension LibreOffice expects of it), or something else.
 */
public record DocumentType(Kind kind, String extension) {
  public enum Kind { PDF, OFFICE, OTHER }

  public static final DocumentType PDF = new DocumentType(Kind.PDF, "pdf");
  public static final DocumentType OTHER = new DocumentType(Kind.OTHER, null);

  private static final int HEAD = 1024;
  private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A,
      (byte) 0xE1};
  private static final String ODF_MIME = "application/vnd.oasis.opendocument.";

  private static DocumentType office(String extension) {
    return new DocumentType(Kind.OFFICE, extension);
  }

  public static DocumentType of(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    }
    String text = new String(head, StandardCharsets.ISO_8859_1);
    if (text.contains("%PDF-")) {
      return PDF; // readers take the header anywhere in the first KiB
    }
    if (head.length >= OLE2.length && Arrays.equals(Arrays.copyOf(head, OLE2.length), OLE2)) {
      return office("doc"); // Word, Excel and PowerPoint 97-2003; LibreOffice tells them apart by content
    }
    if (text.startsWith("{\\rtf")) {
      return office("rtf");
    }
    if (text.startsWith("PK\u0003\u0004")) {
      return zipped(file);
    }
    return OTHER;
  }

  /** Office Open XML and OpenDocument files are zip archives, told apart by their entries. */
  private static DocumentType zipped(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.getEntry("word/document.xml") != null) {
        return office("docx");
      }
      if (zip.getEntry("xl/workbook.xml") != null) {
        return office("xlsx");
      }
      if (zip.getEntry("ppt/presentation.xml") != null) {
        return office("pptx");
      }
      ZipEntry mimetype = zip.getEntry("mimetype");
      if (mimetype != null && mimetype.getSize() < HEAD) {
        try (InputStream in = zip.getInputStream(mimetype)) {
          String mime = new String(in.readNBytes(HEAD), StandardCharsets.US_ASCII).strip();
          if (mime.startsWith(ODF_MIME)) {
            return switch (mime.substring(ODF_MIME.length())) {
              case "text" -> office("odt");
              case "spreadsheet" -> office("ods");
              case "presentation" -> office("odp");
              case "graphics" -> office("odg");
              default -> OTHER;
            };
          }
        }
      }
      return OTHER;
    } catch (ZipException e) {
      return OTHER; // starts like a zip, is not one
    }
  }
}
