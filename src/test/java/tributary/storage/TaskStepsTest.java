package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.support.TestFiles;

/** S6: which protection a blob gets, by its type and its bytes. */
class TaskStepsTest {
  private static final JsonObject WATERMARK = new JsonObject().put("mode", "watermark").put("text", "RIVER");
  private static final long NOW = 1_780_000_000_000L;

  @TempDir Path dir;

  private TaskSteps.Product protect(String blobKind, Path in) throws Exception {
    return TaskSteps.step(TaskKind.PROTECT, WATERMARK, blobKind, in, dir.resolve("out"), "s1", null, NOW);
  }

  @Test
  void aPdfDocumentIsStampedIntoANewPdf() throws Exception {
    Path in = Files.write(dir.resolve("in"), TestFiles.pdf(List.of("page one", "page two")));

    TaskSteps.Product product = protect("document", in);

    assertNull(product.unsupported());
    assertEquals("protect:watermark", product.derivedBy());
    assertEquals("application/pdf", product.contentType());
    assertEquals("document", product.kind());
    try (PDDocument pdf = Loader.loadPDF(product.file().toFile())) {
      assertTrue(new PDFTextStripper().getText(pdf).contains("RIVER | 2026-05-28 20:26:40 UTC"));
    }
  }

  @Test
  void aDocumentThatIsNeitherPdfNorOfficeIsUnsupported() throws Exception {
    Path in = Files.writeString(dir.resolve("in"), "plain notes about the river");

    TaskSteps.Product product = protect("document", in);

    assertTrue(product.unsupported().startsWith("only PDF and office documents"), product.unsupported());
    assertTrue(product.unsupported().contains("mode timestamp seals any file"), product.unsupported());
  }

  @Test
  void audioHasNothingToWatermark() throws Exception {
    Path in = Files.writeString(dir.resolve("in"), "pretend audio");
    assertTrue(protect("audio", in).unsupported().startsWith("audio has no picture"));
  }

  @Test
  void onlyOfficeDocumentsTranscodeToPdf() throws Exception {
    Path in = Files.writeString(dir.resolve("in"), "plain notes");
    TaskSteps.Product product = TaskSteps.step(TaskKind.TRANSCODE, new JsonObject().put("format", "pdf"), "document",
        in, dir.resolve("out"), "s1", null, NOW);
    assertEquals("only office documents convert to PDF", product.unsupported());
  }
}
