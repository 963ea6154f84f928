package tributary.placement;

/**
 * A storage node's pending work as the seed counts it (S2): bytes waiting for transcoding (video,
 * audio, documents), protection (documents, video, images, other files) and mirror downloads,
 * with the durations of the media waiting for transcoding in hours.
 *
 * <pre>f = tt(v)(time(v) + b) + tt(a)(time(a) + b) + tt(d) + tp(d) + tp(v) + tp(p) + tp(o) + tm(a)</pre>
 * with b the bitrate standard. Only shares of the cluster's total are used, so the unit of the
 * sizes cancels out.
 */
public record PendingWork(double transcodeVideoBytes, double transcodeVideoHours, double transcodeAudioBytes,
    double transcodeAudioHours, double transcodeDocumentBytes, double protectDocumentBytes, double protectVideoBytes,
    double protectImageBytes, double protectOtherBytes, double mirrorBytes) {

  public static final PendingWork NONE = new PendingWork(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The seed's bitrate standards. */
  public enum Bitrate {
    LOW(2.1053), MEDIUM(3.1579), HIGH(4.7368);

    public final double standard;

    Bitrate(double standard) {
      this.standard = standard;
    }
  }

  /** f_i for bitrate standard {@code b}. */
  public double weighed(double b) {
    return transcodeVideoBytes * (transcodeVideoHours + b) + transcodeAudioBytes * (transcodeAudioHours + b)
        + transcodeDocumentBytes + protectDocumentBytes + protectVideoBytes + protectImageBytes + protectOtherBytes
        + mirrorBytes;
  }
}
