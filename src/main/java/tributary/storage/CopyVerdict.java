package tributary.storage;

/**
 * What a scrub decides about one copy (S5, the seed's MD5 check): given the digests the catalog
 * expects and those the copy's bytes hash to now, the copy stays healthy or is deleted with the
 * reason. MD5 is checked first, as the seed does; SHA-256 (the file's name) next; then the chunk
 * manifest that reads are checked against.
 */
public record CopyVerdict(String state, String reason) {
  public static final String MD5_MISMATCH = "corrupt: md5 mismatch";
  public static final String SHA256_MISMATCH = "corrupt: sha256 mismatch";
  public static final String CHUNKS_MISMATCH = "corrupt: chunk manifest mismatch";
  /** A read met a chunk that does not match (the transfer server's check on every read). */
  public static final String READ_MISMATCH = "corrupt: chunk mismatch on read";
  public static final String MISSING = "missing";

  static final CopyVerdict HEALTHY = new CopyVerdict(BlobCatalog.HEALTHY, null);

  /** The digests a copy's bytes have now. */
  public record Scan(String sha256, String md5, boolean chunksMatch) {}

  public static CopyVerdict of(String expectedSha256, String expectedMd5, Scan actual) {
    if (!expectedMd5.equalsIgnoreCase(actual.md5())) {
      return deleted(MD5_MISMATCH);
    }
    if (!expectedSha256.equalsIgnoreCase(actual.sha256())) {
      return deleted(SHA256_MISMATCH);
    }
    if (!actual.chunksMatch()) {
      return deleted(CHUNKS_MISMATCH);
    }
    return HEALTHY;
  }

  public static CopyVerdict deleted(String reason) {
    return new CopyVerdict(BlobCatalog.DELETED, reason);
  }

  public boolean healthy() {
    return reason == null;
  }
}
