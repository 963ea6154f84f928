package tributary.storage.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.util.Matrix;

/**
 * Watermark and timestamp protection of a PDF (S6): on every page, the watermark text large and
 * translucent across the page's diagonal, and along its foot the stamp line (the text and when it
 * was stamped) on a pale band, both upright as the page is shown (its rotation and crop box are
 * followed). The page's own content is left as it was, wrapped so its graphics state cannot leak
 * into the stamp. The font is embedded ({@link FontFile}), else Helvetica with the characters it
 * lacks shown as '?'. Large documents are cached in temp files, not the heap. Blocking.
 */
public final class PdfStamp {
  private static final float DIAGONAL_ALPHA = 0.22f;
  private static final float BAND_ALPHA = 0.75f;
  private static final float FOOT_SIZE = 9f;
  private static final float MARGIN = 12f;

  private PdfStamp() {}

  /**
   * Stamps {@code in} into {@code out}.
   *
   * @throws UnsupportedFileException when the PDF is encrypted (it cannot be re-written as it is)
   * @throws IllegalArgumentException when it is not a readable PDF
   */
  public static void apply(Path in, Path out, String text, String line, Optional<Path> fontFile)
      throws IOException, UnsupportedFileException {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("watermark text is empty");
    }
    try (PDDocument doc = load(in)) {
      if (doc.isEncrypted()) {
        throw new UnsupportedFileException("the PDF is encrypted; its protection would have to be removed to stamp it");
      }
      PDFont font = fontFile.isPresent() ? PDType0Font.load(doc, fontFile.get().toFile())
          : new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      String mark = printable(font, text.strip());
      String foot = printable(font, line);
      PDExtendedGraphicsState translucent = alpha(DIAGONAL_ALPHA);
      PDExtendedGraphicsState band = alpha(BAND_ALPHA);
      for (PDPage page : doc.getPages()) {
        stamp(doc, page, font, mark, foot, translucent, band);
      }
      doc.save(out.toFile());
    }
  }

  private static PDDocument load(Path in) throws IOException, UnsupportedFileException {
    try {
      return Loader.loadPDF(in.toFile(), IOUtils.createTempFileOnlyStreamCache());
    } catch (InvalidPasswordException e) {
      throw new UnsupportedFileException("the PDF is encrypted with a password");
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable PDF: " + e.getMessage(), e);
    }
  }

  private static PDExtendedGraphicsState alpha(float alpha) {
    PDExtendedGraphicsState state = new PDExtendedGraphicsState();
    state.setNonStrokingAlphaConstant(alpha);
    return state;
  }

  private static void stamp(PDDocument doc, PDPage page, PDFont font, String mark, String foot,
      PDExtendedGraphicsState translucent, PDExtendedGraphicsState band) throws IOException {
    PDRectangle box = page.getCropBox();
    int rotation = Math.floorMod(page.getRotation(), 360);
    boolean sideways = rotation == 90 || rotation == 270;
    float width = sideways ? box.getHeight() : box.getWidth();
    float height = sideways ? box.getWidth() : box.getHeight();
    try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true,
        true)) {
      cs.transform(Matrix.getTranslateInstance(box.getLowerLeftX(), box.getLowerLeftY()));
      cs.transform(upright(rotation, box.getWidth(), box.getHeight()));

      // the mark: across the diagonal, as wide as 70% of it
      double angle = Math.atan2(height, width);
      float diagonal = (float) Math.hypot(width, height);
      float markSize = Math.max(1f, Math.min(height / 6, 0.7f * diagonal / widthAt(font, mark, 1)));
      float markWidth = widthAt(font, mark, markSize);
      cs.saveGraphicsState();
      cs.setGraphicsStateParameters(translucent);
      cs.setNonStrokingColor(0.45f, 0.45f, 0.45f);
      cs.beginText();
      cs.setFont(font, markSize);
      Matrix at = Matrix.getRotateInstance(angle, width / 2, height / 2);
      at.translate(-markWidth / 2, -markSize / 3);
      cs.setTextMatrix(at);
      cs.showText(mark);
      cs.endText();
      cs.restoreGraphicsState();

      // the stamp line: at the foot, on a pale band so it reads on any page
      float footSize = Math.max(1f, Math.min(FOOT_SIZE, (width - 2 * MARGIN) / widthAt(font, foot, 1)));
      cs.saveGraphicsState();
      cs.setGraphicsStateParameters(band);
      cs.setNonStrokingColor(1f, 1f, 1f);
      cs.addRect(MARGIN / 2, MARGIN / 2, widthAt(font, foot, footSize) + MARGIN, footSize * 1.6f);
      cs.fill();
      cs.restoreGraphicsState();
      cs.beginText();
      cs.setNonStrokingColor(0.15f, 0.15f, 0.15f);
      cs.setFont(font, footSize);
      cs.newLineAtOffset(MARGIN, MARGIN / 2 + footSize * 0.45f);
      cs.showText(foot);
      cs.endText();
    }
  }

  /** Maps upright page coordinates to the page's own, for a page shown turned by {@code rotation}. */
  static Matrix upright(int rotation, float boxWidth, float boxHeight) {
    return switch (rotation) {
      case 90 -> new Matrix(0, 1, -1, 0, boxWidth, 0);
      case 180 -> new Matrix(-1, 0, 0, -1, boxWidth, boxHeight);
      case 270 -> new Matrix(0, -1, 1, 0, 0, boxHeight);
      default -> new Matrix();
    };
  }

  private static float widthAt(PDFont font, String text, float size) throws IOException {
    return Math.max(1e-3f, font.getStringWidth(text) / 1000 * size);
  }

  /** The text with each character the font cannot show replaced by '?', and controls by spaces. */
  static String printable(PDFont font, String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(cp -> {
      String c = Character.isISOControl(cp) ? " " : new String(Character.toChars(cp));
      try {
        font.encode(c);
        out.append(c);
      } catch (IllegalArgumentException | IOException e) {
        out.append('?');
      }
    });
    return out.toString();
  }
}
