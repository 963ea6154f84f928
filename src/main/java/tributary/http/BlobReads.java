package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tributary.auth.Principal;
import tributary.fault.Refusal;
import tributary.placement.FirstCopyChooser;
import tributary.placement.StoreLoad;
import tributary.storage.BlobCatalog;
import tributary.storage.BlobReader;
import tributary.storage.ByteRange;
import tributary.storage.tasks.FileDigest;

/**
 * Reading blobs (S2, S5): a blob its caller may use (X3: its owner or an administrator), its
 * metadata with its copies, downloads with ranges from the least loaded healthy copy, and its
 * bytes read whole or digested for the seal check.
 */
final class BlobReads {
  private static final Logger LOG = LoggerFactory.getLogger(BlobReads.class);

  private final BlobCatalog catalog;
  private final BlobReader reader;
  private final FirstCopyChooser chooser;

  BlobReads(BlobCatalog catalog, BlobReader reader, FirstCopyChooser chooser) {
    this.catalog = catalog;
    this.reader = reader;
    this.chooser = chooser;
  }

  /** The blob if the caller may read it: its owner or an administrator. */
  Future<BlobCatalog.Blob> readable(RoutingContext rc) {
    String id = rc.pathParam("id");
    Principal who = AuthHandler.principal(rc);
    return catalog.blob(id).compose(b -> {
      if (b == null || !"live".equals(b.state())) {
        return Future.failedFuture(Refusal.notFound("no blob '" + id + "'"));
      }
      return Rights.useBlob(b, who);
    }).onFailure(rc::fail);
  }

  void download(RoutingContext rc) {
    readable(rc).onSuccess(blob -> copiesOf(blob).onFailure(rc::fail).onSuccess(readableCopies -> {
      ByteRange range;
      try {
        range = ByteRange.parse(rc.request().getHeader("Range"), blob.size());
      } catch (ByteRange.Unsatisfiable e) {
        rc.response().putHeader("Content-Range", "bytes */" + blob.size());
        rc.fail(new Refusal(416, "range_not_satisfiable", e.getMessage()));
        return;
      }
      if (readableCopies.isEmpty()) {
        rc.fail(new Refusal(503, "unavailable", "no healthy copy of this blob is reachable now"));
        return;
      }
      long from = range == null ? 0 : range.start();
      long to = range == null ? blob.size() : range.end();
      HttpServerResponse response = rc.response();
      response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
          .putHeader("Accept-Ranges", "bytes")
          .putHeader(HttpHeaders.CONTENT_TYPE, blob.contentType())
          .putHeader(HttpHeaders.ETAG, "\"" + blob.sha256() + "\"")
          .putHeader("X-Checksum-SHA256", blob.sha256())
          .putHeader("X-Checksum-MD5", blob.md5())
          .putHeader("Digest", "sha-256=" + base64(blob.sha256()))
          .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(to - from));
      if (range == null) {
        response.putHeader("Content-MD5", base64(blob.md5()));
      } else {
        response.setStatusCode(206).putHeader("Content-Range", range.contentRange(blob.size()));
      }
      if (rc.request().method() == HttpMethod.HEAD) {
        response.end();
        return;
      }
      reader.copy(readableCopies, blob.sha256(), from, to, response, null).onComplete(ar -> {
        if (ar.succeeded()) {
          response.end();
        } else if (response.headWritten()) {
          LOG.warn("download broke off [blob: {}, cause: {}]", blob.blobId(), ar.cause().getMessage());
          response.reset();
        } else {
          rc.fail(new Refusal(503, "unavailable", "no copy could be read: " + ar.cause().getMessage()));
        }
      });
    }));
  }

  /** {@code GET /v1/blobs/{id}/meta}: the blob and its copies. */
  void meta(RoutingContext rc) {
    readable(rc).onSuccess(b -> catalog.copies(b.blobId())
        .onSuccess(copies -> json(rc, 200, b.toJson().put("copies", copiesJson(copies)))).onFailure(rc::fail));
  }

  Future<Buffer> readAll(BlobCatalog.Blob blob) {
    Buffer all = Buffer.buffer();
    return copiesOf(blob).compose(copies -> reader.copy(copies, blob.sha256(), 0, blob.size(),
        new DigestStream(null, all), null)).map(all);
  }

  /** SHA-256, MD5 and size of the bytes the blob serves now, read from its copies. */
  Future<FileDigest> digest(BlobCatalog.Blob blob) {
    DigestStream digest = new DigestStream(List.of("SHA-256", "MD5"), null);
    return copiesOf(blob).compose(copies -> reader.copy(copies, blob.sha256(), 0, blob.size(), digest, null))
        .map(v -> digest.result());
  }

  /** The nodes holding a readable copy of the blob, least loaded first. */
  private Future<List<StoreLoad>> copiesOf(BlobCatalog.Blob blob) {
    return catalog.copies(blob.blobId()).map(copies -> chooser.rank(copies.stream()
        .filter(BlobCatalog.Copy::readable).map(BlobCatalog.Copy::store).toList()));
  }

  static JsonArray copiesJson(List<BlobCatalog.Copy> copies) {
    return new JsonArray(copies.stream().map(BlobCatalog.Copy::toJson).toList());
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}
