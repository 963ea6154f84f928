package tributary.storage;

import java.util.Locale;

/** What a storage task does (S6, S7). */
public enum TaskKind {
  /** Copy a blob onto another node. */
  MIRROR,
  /** Watermark an image, a PDF, an office document or a video, or seal any file with a signed timestamp. */
  PROTECT,
  /** gzip the blob into a new blob. */
  COMPRESS,
  /** Convert audio, video or images through ffmpeg, office documents to PDF through LibreOffice. */
  TRANSCODE,
  /** Delete a blob's copy from a node. */
  RECYCLE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind with this name, or null. */
  public static TaskKind parse(String name) {
    for (TaskKind kind : values()) {
      if (kind.id().equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
