package tributary.storage;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import tributary.storage.tasks.DocumentType;
import tributary.storage.tasks.FontFile;
import tributary.storage.tasks.Gzip;
import tributary.storage.tasks.OfficeConverter;
import tributary.storage.tasks.PdfStamp;
import tributary.storage.tasks.SealKey;
import tributary.storage.tasks.StampText;
import tributary.storage.tasks.TimestampSeal;
import tributary.storage.tasks.ToolResult;
import tributary.storage.tasks.Transcoder;
import tributary.storage.tasks.UnsupportedFileException;
import tributary.storage.tasks.VideoWatermark;
import tributary.storage.tasks.Watermark;

/**
 * The processing steps of protect, compress and transcode items (S6), file to file, chosen by the
 * blob's type and what its bytes are. Watermarks: images drawn on directly, PDFs stamped on every
 * page, office documents converted to PDF through LibreOffice and stamped, videos through ffmpeg;
 * a document that is none of these, and audio, are unsupported. Blocking: run on a worker.
 */
final class TaskSteps {
  static final String PDF = "application/pdf";

  private TaskSteps() {}

  /**
   * What a step made: a local file and how to describe it (a null kind or content type keeps the
   * source's), or why there is none.
   */
  record Product(Path file, String derivedBy, String suffix, String contentType, String kind, String unsupported) {
    static Product unsupported(String reason) {
      return new Product(null, null, null, null, null, reason);
    }
  }

  static Product step(TaskKind kind, JsonObject params, String blobKind, Path in, Path out, String storeId,
      SealKey sealKey, long now) throws Exception {
    try {
      return switch (kind) {
        case PROTECT -> "timestamp".equals(params.getString("mode")) ? seal(in, out, storeId, sealKey, now)
            : watermark(blobKind, params.getString("text", "protected"), in, out, now);
        case COMPRESS -> {
          Gzip.compress(in, out);
          yield new Product(out, "compress:gzip", ".gz", "application/gzip", "other", null);
        }
        case TRANSCODE -> transcode(params.getString("format", ""), in, out);
        default -> throw new IllegalArgumentException("not a processing step: " + kind);
      };
    } catch (UnsupportedFileException e) {
      return Product.unsupported(e.getMessage());
    }
  }

  private static Product seal(Path in, Path out, String storeId, SealKey key, long now) throws IOException {
    TimestampSeal.Manifest seal = TimestampSeal.seal(in, now, storeId, key);
    Files.writeString(out, seal.toJson());
    return new Product(out, "protect:timestamp", ".seal.json", "application/json", "document", null);
  }

  private static Product watermark(String blobKind, String text, Path in, Path out, long now) throws Exception {
    String line = StampText.line(text, now);
    if ("video".equals(blobKind)) {
      return fromTool(VideoWatermark.apply(Transcoder.ffmpeg(), FontFile.sans(), in, out, line,
          Transcoder.DEFAULT_TIMEOUT), new Product(out, "protect:watermark", ".watermarked.mp4", "video/mp4", "video",
          null));
    }
    if ("audio".equals(blobKind)) {
      throw new UnsupportedFileException("audio has no picture to watermark; mode timestamp seals any file");
    }
    DocumentType type = DocumentType.of(in);
    Product stamped = new Product(out, "protect:watermark", ".watermarked.pdf", PDF, "document", null);
    switch (type.kind()) {
      case PDF -> {
        PdfStamp.apply(in, out, text, line, FontFile.sans());
        return stamped;
      }
      case OFFICE -> {
        Path pdf = out.resolveSibling(out.getFileName() + ".pdf");
        try {
          Product converted = fromTool(OfficeConverter.toPdf(OfficeConverter.soffice(), in, type, pdf,
              OfficeConverter.DEFAULT_TIMEOUT), stamped);
          if (converted.unsupported() == null) {
            PdfStamp.apply(pdf, out, text, line, FontFile.sans());
          }
          return converted;
        } finally {
          Files.deleteIfExists(pdf);
        }
      }
      default -> {
        if ("document".equals(blobKind)) {
          throw new UnsupportedFileException("only PDF and office documents (Word, Excel, PowerPoint, OpenDocument, "
              + "RTF) take a watermark, and this document is neither; mode timestamp seals any file");
        }
        Watermark.apply(in, out, text);
        return new Product(out, "protect:watermark", ".watermarked", null, null, null);
      }
    }
  }

  private static Product transcode(String format, Path in, Path out) throws Exception {
    if ("pdf".equals(format.toLowerCase(Locale.ROOT))) {
      return fromTool(OfficeConverter.toPdf(OfficeConverter.soffice(), in, DocumentType.of(in), out,
          OfficeConverter.DEFAULT_TIMEOUT), new Product(out, "transcode:pdf", ".pdf", PDF, "document", null));
    }
    Transcoder.Target target = Transcoder.target(format);
    return fromTool(Transcoder.transcode(in, out, format), new Product(out, "transcode:" + format, "." + format,
        target.contentType(), target.kind(), null));
  }

  /** {@code done} when the program made its output; unsupported, or a failure naming the program, otherwise. */
  static Product fromTool(ToolResult result, Product done) {
    if (result instanceof ToolResult.Done) {
      return done;
    }
    if (result instanceof ToolResult.Unsupported u) {
      return Product.unsupported(u.reason());
    }
    if (result instanceof ToolResult.Failed f) {
      throw new IllegalStateException(f.tool() + " exited with " + f.exitCode() + ": " + f.stderrTail());
    }
    ToolResult.TimedOut t = (ToolResult.TimedOut) result;
    throw new IllegalStateException(t.tool() + " took longer than " + t.limit() + ": " + t.stderrTail());
  }
}
