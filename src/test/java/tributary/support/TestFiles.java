package tributary.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Real media and documents made by the tests themselves: clips from ffmpeg's lavfi test sources,
 * PDFs from PDFBox, and what ffprobe says about a file.
 */
public final class TestFiles {
  private TestFiles() {}

  /** A clip of ffmpeg's test pattern with a 440 Hz tone, H.264 and AAC in MP4. */
  public static Path video(Path file, int seconds, int width, int height) throws IOException, InterruptedException {
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
        "testsrc=duration=" + seconds + ":size=" + width + "x" + height + ":rate=10", "-f", "lavfi", "-i",
        "sine=frequency=440:duration=" + seconds, "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4",
        file.toString()));
    return file;
  }

  /** A tone of {@code seconds}, as WAV. */
  public static Path audio(Path file, int seconds) throws IOException, InterruptedException {
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
        "sine=frequency=330:duration=" + seconds, "-f", "wav", file.toString()));
    return file;
  }

  /** ffprobe's streams and format of the file, as JSON. */
  public static JsonObject probe(Path file) throws IOException, InterruptedException {
    return new JsonObject(run(List.of("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
        file.toString())));
  }

  /** The first video stream ffprobe reports, or null. */
  public static JsonObject videoStream(JsonObject probe) {
    return probe.getJsonArray("streams").stream().map(JsonObject.class::cast)
        .filter(s -> "video".equals(s.getString("codec_type"))).findFirst().orElse(null);
  }

  /** The duration ffprobe reports for the file's container, in seconds. */
  public static double duration(JsonObject probe) {
    return Double.parseDouble(probe.getJsonObject("format").getString("duration"));
  }

  /** A PDF with one A4 page per text, each showing it; the pages turned by the given rotations, if any. */
  public static byte[] pdf(List<String> pageTexts, int... rotations) throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int i = 0; i < pageTexts.size(); i++) {
        PDPage page = new PDPage(PDRectangle.A4);
        page.setRotation(i < rotations.length ? rotations[i] : 0);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN), 14);
          cs.newLineAtOffset(72, 700);
          cs.showText(pageTexts.get(i));
          cs.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** Runs a program to its end (at most a minute) and returns its stdout; fails on a non-zero exit. */
  public static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("test-tool-", ".log");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectError(log.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IOException(command + " exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
