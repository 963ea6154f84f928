package tributary.placement;

import java.util.EnumMap;
import java.util.Map;

/**
 * A storage node's pending work as the seed counts it (S2): bytes waiting for transcoding (video,
 * audio, documents), protection (documents, video, images, other files) and mirror downloads,
 * with the durations of the media waiting for transcoding in hours.
 *
 * <pre>f = tt(v)(time(v) + b) + tt(a)(time(a) + b) + tt(d) + tp(d) + tp(v) + tp(p) + tp(o) + tm(a)</pre>
 * with b the bitrate standard, tt the bytes and time the total duration in hours of the video (v)
 * and audio (a) waiting for transcoding (a blob not measured yet counts no time). Only shares of
 * the cluster's total are used, so the unit of the sizes cancels out. Not thread-safe: one per
 * heartbeat.
 */
public final class PendingWork {
  /** The seed's terms. */
  public enum Part { TRANSCODE_VIDEO, TRANSCODE_AUDIO, TRANSCODE_DOCUMENT, PROTECT_DOCUMENT, PROTECT_VIDEO,
    PROTECT_IMAGE, PROTECT_OTHER, MIRROR }

  /** The seed's bitrate standards. */
  public enum Bitrate {
    LOW(2.1053), MEDIUM(3.1579), HIGH(4.7368);

    public final double standard;

    Bitrate(double standard) {
      this.standard = standard;
    }
  }

  private final Map<Part, Double> bytes = new EnumMap<>(Part.class);
  private double videoHours;
  private double audioHours;

  /**
   * The term a pending task item counts in: transcoding of video, audio or anything else (as a
   * document); protection of documents, video, images or anything else, where compression counts
   * as other protection (bytes to rewrite); mirror downloads. Null for recycling, which moves no bytes.
   */
  public static Part partOf(String taskKind, String blobKind) {
    String blob = String.valueOf(blobKind);
    return switch (taskKind) {
      case "transcode" -> blob.equals("video") ? Part.TRANSCODE_VIDEO
          : blob.equals("audio") ? Part.TRANSCODE_AUDIO : Part.TRANSCODE_DOCUMENT;
      case "protect" -> switch (blob) {
        case "document" -> Part.PROTECT_DOCUMENT;
        case "video" -> Part.PROTECT_VIDEO;
        case "image" -> Part.PROTECT_IMAGE;
        default -> Part.PROTECT_OTHER;
      };
      case "compress" -> Part.PROTECT_OTHER;
      case "mirror" -> Part.MIRROR;
      default -> null;
    };
  }

  public PendingWork add(Part part, double size) {
    if (part != null && size > 0) {
      bytes.merge(part, size, Double::sum);
    }
    return this;
  }

  /**
   * Pending items of one term: their bytes and, for video and audio to transcode, the total
   * duration of their media in seconds (counted in hours; other terms take no time).
   */
  public PendingWork add(Part part, double size, double mediaSeconds) {
    add(part, size);
    double hours = Double.isFinite(mediaSeconds) ? Math.max(0, mediaSeconds) / 3600 : 0;
    if (part == Part.TRANSCODE_VIDEO) {
      videoHours += hours;
    } else if (part == Part.TRANSCODE_AUDIO) {
      audioHours += hours;
    }
    return this;
  }

  /** time(v): hours of video waiting for transcoding. */
  public double videoHours() {
    return videoHours;
  }

  /** time(a): hours of audio waiting for transcoding. */
  public double audioHours() {
    return audioHours;
  }

  private double of(Part part) {
    return bytes.getOrDefault(part, 0.0);
  }

  /** f_i for bitrate standard {@code b}. */
  public double weighed(double b) {
    return of(Part.TRANSCODE_VIDEO) * (videoHours + b) + of(Part.TRANSCODE_AUDIO) * (audioHours + b)
        + of(Part.TRANSCODE_DOCUMENT) + of(Part.PROTECT_DOCUMENT) + of(Part.PROTECT_VIDEO) + of(Part.PROTECT_IMAGE)
        + of(Part.PROTECT_OTHER) + of(Part.MIRROR);
  }
}
