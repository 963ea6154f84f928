package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

/** S6: watermark and timestamp protection of PDF documents, checked by reading the output back with PDFBox. */
class PdfStampTest {
  private static final long AT = 1_780_000_000_000L;
  private static final String MARK = "CONFIDENTIAL TRIBUTARY";

  @TempDir Path dir;

  private Path pdf(int... rotations) throws IOException {
    return Files.write(dir.resolve("in.pdf"), TestFiles.pdf(List.of("first page of the river report",
        "second page of the river report", "third page of the river report"), rotations));
  }

  private static String pageText(PDDocument doc, int page) throws IOException {
    PDFTextStripper stripper = new PDFTextStripper();
    stripper.setStartPage(page);
    stripper.setEndPage(page);
    return stripper.getText(doc);
  }

  @Test
  void everyPageCarriesTheWatermarkAndTheTimeAndKeepsItsText() throws Exception {
    Path in = pdf(0, 90, 270);
    Path out = dir.resolve("out.pdf");

    PdfStamp.apply(in, out, MARK, StampText.line(MARK, AT), FontFile.sans());

    String[] ordinals = {"first", "second", "third"};
    try (PDDocument doc = Loader.loadPDF(out.toFile())) {
      assertEquals(3, doc.getNumberOfPages());
      for (int page = 1; page <= 3; page++) {
        String text = pageText(doc, page);
        assertTrue(text.contains(MARK + " | " + StampText.time(AT)), "page " + page + ": " + text);
        // the page's own line runs sideways on a turned page, so the reader breaks it up: compare its letters
        assertTrue(text.replaceAll("\\s", "").contains(ordinals[page - 1] + "pageoftheriverreport"),
            "page " + page + ": " + text);
      }
      assertEquals(90, doc.getPage(1).getRotation(), "the page keeps its rotation");
    }
    assertEquals("2026-05-28 20:26:40 UTC", StampText.time(AT));
  }

  @Test
  void withoutAFontFileHelveticaShowsWhatItCanAndMarksTheRest() throws Exception {
    Path out = dir.resolve("out.pdf");

    PdfStamp.apply(pdf(), out, "Überprüft ✓", StampText.line("Überprüft ✓", AT), Optional.empty());

    try (PDDocument doc = Loader.loadPDF(out.toFile())) {
      for (int page = 1; page <= 3; page++) {
        assertTrue(pageText(doc, page).contains("Überprüft ? | " + StampText.time(AT)), pageText(doc, page));
      }
    }
    assertEquals("a?b c", PdfStamp.printable(new PDType1Font(Standard14Fonts.FontName.HELVETICA), "a✓b\nc"));
  }

  @Test
  void anEncryptedPdfIsUnsupported() throws Exception {
    Path in = dir.resolve("locked.pdf");
    try (PDDocument doc = Loader.loadPDF(pdf().toFile())) {
      doc.protect(new StandardProtectionPolicy("owner", "user", new AccessPermission()));
      doc.save(in.toFile());
    }
    Path out = dir.resolve("out.pdf");

    UnsupportedFileException e = assertThrows(UnsupportedFileException.class,
        () -> PdfStamp.apply(in, out, MARK, MARK, FontFile.sans()));
    assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void bytesThatAreNoPdfAreRefused() throws Exception {
    Path in = Files.writeString(dir.resolve("in.pdf"), "%PDF-1.7 and then nothing a reader can use");

    assertThrows(IllegalArgumentException.class,
        () -> PdfStamp.apply(in, dir.resolve("out.pdf"), MARK, MARK, FontFile.sans()));
    assertThrows(IllegalArgumentException.class,
        () -> PdfStamp.apply(pdf(), dir.resolve("out.pdf"), " ", MARK, FontFile.sans()));
  }
}
